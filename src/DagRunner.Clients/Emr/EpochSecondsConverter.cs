using System.Text.Json;
using System.Text.Json.Serialization;

namespace DagRunner.Clients.Emr;

/// <summary>EMR's JSON protocol writes timestamps as seconds since the epoch, with a fraction
/// (<c>1718000000.123</c>).</summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    // Read leniently: a stand-in that writes ISO 8601 text (as EMR's REST-JSON siblings do) or a number in a string is
    // understood rather than taken for an unreadable answer.
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return FromSeconds(seconds);
            return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : throw new JsonException($"'{text}' is neither epoch seconds nor an ISO 8601 time.");
        }

        return FromSeconds(reader.GetDouble());
    }

    // A time a clock can show; anything else (NaN, 1e20) is an unreadable answer, not a crash.
    private static DateTimeOffset FromSeconds(double seconds) =>
        double.IsFinite(seconds) && seconds is >= -62_135_596_800 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000))
            : throw new JsonException($"{seconds} seconds since the epoch is not a time.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000.0);
}
