using DagRunner.Engine.Execution;
using DagRunner.Sdk;
using static DagRunner.Engine.Execution.TaskState;

namespace DagRunner.Engine.Tests;

public sealed class TriggerRulesTests
{
    public static TheoryData<TriggerRule, TaskState[], TriggerDecision> Cases => new()
    {
        { TriggerRule.AllSuccess, [Success, Success], TriggerDecision.Run },
        { TriggerRule.AllSuccess, [Success, Running], TriggerDecision.Wait },
        { TriggerRule.AllSuccess, [Success, Failed], TriggerDecision.UpstreamFailed },
        { TriggerRule.AllSuccess, [Success, UpstreamFailed], TriggerDecision.UpstreamFailed },
        { TriggerRule.AllSuccess, [Success, Skipped], TriggerDecision.Skip },
        { TriggerRule.AllFailed, [Failed, UpstreamFailed], TriggerDecision.Run },
        { TriggerRule.AllFailed, [Failed, Success], TriggerDecision.Skip },
        { TriggerRule.AllFailed, [Failed, Running], TriggerDecision.Wait },
        { TriggerRule.AllDone, [Failed, Success, Skipped], TriggerDecision.Run },
        { TriggerRule.AllDone, [Failed, Queued], TriggerDecision.Wait },
        { TriggerRule.OneSuccess, [Success, Running], TriggerDecision.Run },
        { TriggerRule.OneSuccess, [Failed, Failed], TriggerDecision.UpstreamFailed },
        { TriggerRule.OneSuccess, [Failed, Skipped], TriggerDecision.Skip },
        { TriggerRule.OneFailed, [Failed, Running], TriggerDecision.Run },
        { TriggerRule.OneFailed, [Success, Skipped], TriggerDecision.Skip },
        { TriggerRule.NoneFailed, [Success, Skipped], TriggerDecision.Run },
        { TriggerRule.NoneFailed, [Success, UpstreamFailed], TriggerDecision.UpstreamFailed },
        { TriggerRule.NoneFailedMinOneSuccess, [Success, Skipped], TriggerDecision.Run },
        { TriggerRule.NoneFailedMinOneSuccess, [Skipped, Skipped], TriggerDecision.Skip },
        { TriggerRule.NoneFailedMinOneSuccess, [Skipped, Failed], TriggerDecision.UpstreamFailed },
        { TriggerRule.Always, [Failed, Running], TriggerDecision.Run },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_MatchesAirflowSemantics(TriggerRule rule, TaskState[] upstream, TriggerDecision expected) =>
        Assert.Equal(expected, TriggerRules.Evaluate(rule, upstream));

    [Theory]
    [InlineData(TriggerRule.AllSuccess)]
    [InlineData(TriggerRule.AllFailed)]
    [InlineData(TriggerRule.OneFailed)]
    public void Evaluate_NoUpstream_Runs(TriggerRule rule) =>
        Assert.Equal(TriggerDecision.Run, TriggerRules.Evaluate(rule, []));
}
