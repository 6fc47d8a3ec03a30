namespace DagRunner.LocalLivy.Livy;

/// <summary>The JSON types Livy's request classes declare.</summary>
internal enum FieldType
{
    String,
    Int,
    StringList,
    StringMap,
}
