namespace DagRunner.Clients.Emr;

/// <summary>What EMR answered one attempt: status, body and, for an error status, the parsed error.</summary>
internal sealed record EmrAnswer(int Status, string Body, EmrError? Error)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
