using DagRunner.Clients.Emr;

namespace DagRunner.Clients.Tests.Emr;

internal static class EmrTestKit
{
    // AWS's documentation example key pair: never a real one.
    public const string AccessKey = "AKIDEXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Token = "SESSIONTOKENEXAMPLE/abc+def==";

    public static readonly DateTimeOffset Start = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static EmrOptions Options(EmrStandIn standIn, TimeProvider time, string? token = null) => new()
    {
        Region = "eu-west-1",
        Endpoint = standIn.Endpoint,
        Credentials = new EmrCredentials(AccessKey, Secret, token),
        TimeProvider = time,
        RetryDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
    };

    public const string StepJson = """
        {"Step":{"Id":"s-1ABC","Name":"nightly-etl#3","ActionOnFailure":"CONTINUE",
         "Config":{"Jar":"command-runner.jar","Args":["spark-submit","s3://b/job.py"],"Properties":{"k":"v"}},
         "Status":{"State":"FAILED",
           "StateChangeReason":{"Code":"NONE","Message":"step failed"},
           "FailureDetails":{"Reason":"Unknown Error.","Message":"Exception in thread main","LogFile":"s3://logs/j-1/steps/s-1ABC/stderr.gz"},
           "Timeline":{"CreationDateTime":1704164645.5,"StartDateTime":1704164700,"EndDateTime":1704164760.25}}}}
        """;
}
