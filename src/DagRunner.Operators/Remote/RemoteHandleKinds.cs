using System.Text.Json;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Sdk;

namespace DagRunner.Operators.Remote;

/// <summary>The kinds of handle the built-in operators record, with their types: what a read model asks
/// an attempt's checkpoint for. An operator that records a new kind lists it here, beside the others;
/// front ends never switch on handle types.</summary>
public static class RemoteHandleKinds
{
    /// <summary>Each kind (as recorded in the run store) and the handle type its JSON holds, in the order asked.</summary>
    public static IReadOnlyList<(string Kind, Type Type)> All { get; } =
    [
        (LivyBatchHandle.Kind, typeof(LivyBatchHandle)),
        (LivySessionHandle.Kind, typeof(LivySessionHandle)),
        (SparkSubmit.SparkSubmitHandle.Kind, typeof(SparkSubmit.SparkSubmitHandle)),
        (Emr.EmrStepsHandle.Kind, typeof(Emr.EmrStepsHandle)),
        (Emr.EmrJobFlowHandle.Kind, typeof(Emr.EmrJobFlowHandle)),
    ];

    /// <summary>The handle attempt <paramref name="attemptKey"/> recorded in <paramref name="store"/>, of the
    /// first kind it recorded one of, or <see langword="null"/>.</summary>
    public static async Task<IRemoteHandle?> LoadAsync(CheckpointStore store, string attemptKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var (kind, type) in All)
        {
            if (await store.LoadAsync(attemptKey, kind, cancellationToken).ConfigureAwait(false) is { } json)
            {
                try
                {
                    return (IRemoteHandle?)JsonSerializer.Deserialize(json, type);
                }
                catch (JsonException)
                {
                    return null; // a damaged row: the attempt is shown without its remote job, not as an error
                }
            }
        }

        return null;
    }
}
