using System.CommandLine;
using DagRunner.Hosting.Configuration;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Web;

/// <summary><c>web hash-password</c>: reads a password from standard input (never from an argument, which <c>ps</c>
/// shows to every user of the machine) and prints its hash for <c>web.users[].passwordHash</c>.</summary>
internal static class HashPasswordCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("hash-password", "Read a password from standard input and print its hash for \"passwordHash\" in dagrunner.json's web.users");
        command.SetAction(async (parse, ct) =>
        {
            var io = context.Io;
            string? password;
            if (io.InputIsTerminal)
            {
                // A person at a terminal: asked twice, without echo.
                password = io.Console.Prompt(new TextPrompt<string>("Password:").Secret());
                var again = io.Console.Prompt(new TextPrompt<string>("Again:").Secret());
                if (password != again)
                {
                    await io.Error.WriteLineAsync("error: the two passwords differ; nothing was hashed.").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }
            else
            {
                // Piped: the first line, without its line end.
                password = (await io.In.ReadLineAsync(ct).ConfigureAwait(false))?.TrimEnd('\r');
            }

            if (string.IsNullOrEmpty(password))
            {
                await io.Error.WriteLineAsync("error: no password on standard input; type it when asked, or pipe it: `printf '%s\\n' \"$PASSWORD\" | dagrunner web hash-password`.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            await io.Out.WriteLineAsync(WebPasswordHash.Hash(password)).ConfigureAwait(false);
            await io.Error.WriteLineAsync("Put it in dagrunner.json: \"web\": {\"users\": [{\"name\": \"<user>\", \"passwordHash\": \"<the line above>\"}]}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
