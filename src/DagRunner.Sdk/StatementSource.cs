namespace DagRunner.Sdk;

/// <summary>Where the code of a <see cref="Statement"/> comes from.</summary>
public enum StatementSource
{
    /// <summary>A Scriban template under the templates folder, rendered before it is sent.</summary>
    Template,

    /// <summary>A plain code file under the templates folder, sent after a generated parameter preamble.</summary>
    File,

    /// <summary>Code written in the DAG file itself; it is a template too.</summary>
    Inline,
}
