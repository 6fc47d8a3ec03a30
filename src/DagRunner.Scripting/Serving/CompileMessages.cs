using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.Scripting.Caching;

namespace DagRunner.Scripting.Serving;

/// <summary>A request to the compile server: compile <see cref="File"/> (its text as the client read it), or stop.</summary>
internal sealed record CompileRequest(string Kind, string? File = null, string? Text = null)
{
    public const string Compile = "compile";
    public const string Stop = "stop";
}

/// <summary>The server's answer: the compiled file as the compile cache keeps it (its image follows in a frame of
/// its own), or why it could not compile.</summary>
internal sealed record CompileReply(CacheEntry? Entry, string? Error = null);

// Source-generated: neither side should pay for reflection on a request.
[JsonSerializable(typeof(CompileRequest))]
[JsonSerializable(typeof(CompileReply))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CompileJsonContext : JsonSerializerContext;

/// <summary>Length-prefixed frames on a stream: a 4-byte little-endian length, then that many bytes.</summary>
internal static class CompileFrames
{
    // A DAG file, its image or a reply larger than this is not one of ours.
    private const int MaxFrame = 256 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<byte[]> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxFrame)
            throw new InvalidDataException($"A compile server frame of {length} bytes is out of range.");
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return payload;
    }

    public static Task WriteJsonAsync<T>(Stream stream, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        WriteAsync(stream, JsonSerializer.SerializeToUtf8Bytes(value, type), cancellationToken);

    public static async Task<T> ReadJsonAsync<T>(Stream stream, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize(await ReadAsync(stream, cancellationToken).ConfigureAwait(false), type)
            ?? throw new InvalidDataException("A compile server message is null.");
}
