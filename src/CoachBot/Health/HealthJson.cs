using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoachBot.Health;

/// <summary>
/// The health report as JSON in the shape health dashboards read (the one HealthChecks.UI's writer produces):
/// <c>{"status":"Healthy","totalDuration":"00:00:00.0041","entries":{"database":{"data":{},"description":...,
/// "duration":...,"status":"Healthy","tags":["ready"]}}}</c>. Exceptions are left out: their messages can name hosts
/// and connection details, and the probe is unauthenticated.
/// </summary>
internal static class HealthJson
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("status", report.Status.ToString());
            writer.WriteString("totalDuration", report.TotalDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartObject("entries");
            foreach (var (name, entry) in report.Entries)
            {
                writer.WriteStartObject(name);
                writer.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    writer.WritePropertyName(key);
                    JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object));
                }

                writer.WriteEndObject();
                if (entry.Description is { } description)
                {
                    writer.WriteString("description", description);
                }

                writer.WriteString("duration", entry.Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("status", entry.Status.ToString());
                writer.WriteStartArray("tags");
                foreach (var tag in entry.Tags)
                {
                    writer.WriteStringValue(tag);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }
}
