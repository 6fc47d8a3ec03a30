using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>A test of one task: the DAG cut down to that task alone, and the test run it runs in.</summary>
/// <param name="Dag">The DAG with only the task, without upstream or downstream.</param>
/// <param name="TaskId">The task's id.</param>
/// <param name="Request">The test run (<c>test__&lt;date&gt;</c>).</param>
public sealed record TaskTest(DagDefinition Dag, string TaskId, DagTestRequest Request);
