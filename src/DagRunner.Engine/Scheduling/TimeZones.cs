namespace DagRunner.Engine.Scheduling;

/// <summary>Finds a DAG's time zone by its IANA id.</summary>
public static class TimeZones
{
    /// <summary>The zone named <paramref name="id"/>, or false when this machine does not know it.</summary>
    public static bool TryFind(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (id is null or "UTC" or "Etc/UTC")
            return true;
        if (string.IsNullOrWhiteSpace(id))
            return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The zone named <paramref name="id"/>; UTC when unknown (the DAG's load already reported it).</summary>
    public static TimeZoneInfo Find(string? id) => TryFind(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
