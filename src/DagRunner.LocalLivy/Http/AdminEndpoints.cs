using System.Text.Json;
using System.Text.Json.Nodes;
using DagRunner.LocalLivy.Emr;
using DagRunner.LocalLivy.Livy;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>LocalLivy's own routes under <c>/local-livy</c> (not part of any real API): faults on
/// demand over plain HTTP, and the server's request timings.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, LocalLivyOptions options, Func<LivyFront> front, RequestTimings timings, Func<bool, Task> restart)
    {
        routes.MapGet("/version", () => Answers.Json(
            new VersionView("0.9.0-incubating", "local-livy", "local", "local", "2026-01-01", "https://livy.apache.org"),
            WireJson.Wire.VersionView));

        routes.MapGet("/local-livy/faults", () => Faults(options));
        routes.MapPut("/local-livy/faults", async (HttpContext context) =>
        {
            try
            {
                var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                var faults = options.Faults;
                if (body?["latencyMs"] is { } latency)
                    faults.Latency = TimeSpan.FromMilliseconds(latency.GetValue<double>());
                if (body?["serverErrorRate"] is { } rate)
                    faults.ServerErrorRate = rate.GetValue<double>();
                // "emr": {"throttle": {"AddJobFlowSteps": 2}, ...} adds counted EMR faults; {} clears them.
                if (body?["emr"] is JsonObject emr)
                {
                    if (emr.Count == 0)
                        faults.Emr.Clear();
                    foreach (var (kind, operations) in emr)
                    {
                        foreach (var (operation, times) in operations?.AsObject() ?? [])
                            faults.Emr.Add(kind, operation, times?.GetValue<int>() ?? 1);
                    }
                }
                faults.Validate();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
            {
                options.Faults.Latency = TimeSpan.Zero;
                options.Faults.ServerErrorRate = 0;
                options.Faults.Emr.Clear();
                return Answers.Msg(StatusCodes.Status400BadRequest, "Faults reset; the request was not valid: " + e.Message);
            }

            return Faults(options);
        });

        routes.MapPost("/local-livy/sessions/{id}/kill-driver", (string id) =>
        {
            if (front().Sessions.Find(id) is not { Driver: { } driver })
                return Answers.NotFound(id);
            driver.KillDriver();
            return Answers.Msg(StatusCodes.Status200OK, "driver killed");
        });

        // Answers first, then restarts the Livy part on the same port (the listener serving this
        // request is one of the things that stop).
        routes.MapPost("/local-livy/restart", (HttpContext context) =>
        {
            var keepState = string.Equals(context.Request.Query["keepState"], "true", StringComparison.OrdinalIgnoreCase);
            if (keepState && !options.Recovery)
                return Answers.Msg(StatusCodes.Status400BadRequest, "keepState=true needs recovery mode (--recovery).");
            context.Response.OnCompleted(() =>
            {
                _ = Task.Run(() => restart(keepState));
                return Task.CompletedTask;
            });
            return Answers.Msg(StatusCodes.Status202Accepted, keepState ? "restarting with recovery" : "restarting without recovery");
        });

        routes.MapGet("/local-livy/timings", () =>
        {
            var result = new JsonObject();
            foreach (var (route, timing) in timings.Summary().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                result[route] = new JsonObject
                {
                    ["count"] = timing.Count,
                    ["p50Ms"] = Math.Round(timing.P50, 3),
                    ["p99Ms"] = Math.Round(timing.P99, 3),
                    ["maxMs"] = Math.Round(timing.Max, 3),
                };
            }

            return Results.Content(result.ToJsonString(), "application/json");
        });
        routes.MapDelete("/local-livy/timings", () =>
        {
            timings.Clear();
            return Results.NoContent();
        });
    }

    private static IResult Faults(LocalLivyOptions options)
    {
        var (latency, rate) = options.Faults.Current;
        var json = new JsonObject
        {
            ["latencyMs"] = latency.TotalMilliseconds,
            ["serverErrorRate"] = rate,
            ["emr"] = EmrFaultsJson(options.Faults.Emr),
        };
        return Results.Content(json.ToJsonString(), "application/json");
    }

    private static JsonObject EmrFaultsJson(EmrFaults faults)
    {
        var json = new JsonObject();
        foreach (var (fault, operations) in faults.Snapshot())
            json[EmrFaults.Name(fault)] = new JsonObject(operations.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value)));
        return json;
    }
}
