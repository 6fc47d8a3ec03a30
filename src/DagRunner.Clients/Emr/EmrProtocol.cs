namespace DagRunner.Clients.Emr;

/// <summary>The constants of EMR's JSON 1.1 protocol (AWS API reference, "Amazon EMR API").</summary>
internal static class EmrProtocol
{
    /// <summary>The SigV4 service name, which is also the endpoint's host prefix.</summary>
    public const string SigningName = "elasticmapreduce";

    public const string ApiVersion = "2009-03-31";

    /// <summary>Prefix of the <c>X-Amz-Target</c> header: <c>ElasticMapReduce.DescribeStep</c>.</summary>
    public const string TargetPrefix = "ElasticMapReduce.";

    public const string ContentType = "application/x-amz-json-1.1";

    public static Uri DefaultEndpoint(string region) => new($"https://{SigningName}.{region}.amazonaws.com/");
}
