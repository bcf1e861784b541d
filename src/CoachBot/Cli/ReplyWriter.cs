using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Messages;

namespace CoachBot.Cli;

/// <summary>Writes a coaching reply as readable text, as one JSON object, or as one line of the jsonl contract.</summary>
internal static class ReplyWriter
{
    public static string Text(CoachingReply reply)
    {
        var sb = new StringBuilder();
        sb.Append(reply.Headline).Append("  (").Append(WireNames.Of(reply.Kind).Replace('_', ' '))
            .Append(", verdict: ").Append(WireNames.Of(reply.Verdict)).AppendLine(")");
        foreach (var point in reply.Points)
        {
            sb.AppendLine();
            AppendPoint(sb, point, reply.Text);
        }

        if (reply.Praise is { } praise)
        {
            sb.AppendLine();
            sb.Append("What's working: ").AppendLine(praise.Message);
            sb.Append("  Why it works: ").AppendLine(praise.Why);
            sb.Append("  To go further: ").AppendLine(praise.Ask);
        }

        var more = reply.Findings.Count - reply.Points.Count - (reply.Praise is null ? 0 : 1);
        if (more > 0)
        {
            sb.AppendLine().Append('(').Append(more).Append(more == 1 ? " more thing" : " more things")
                .AppendLine(" noticed; use --format json to see everything.)");
        }

        if (reply.TrustFactors.Count > 0)
        {
            sb.AppendLine().Append("Trust equation: touches ").AppendLine(string.Join(", ", reply.TrustFactors.Select(WireNames.Of)));
        }

        sb.AppendLine().AppendLine(reply.Closing);
        return sb.ToString();
    }

    private static void AppendPoint(StringBuilder sb, Finding point, string wholeText)
    {
        sb.Append("What I noticed: ").AppendLine(point.Message);

        // Quote the part only when the rule read a part: one question of several, not the whole text.
        if (point.Excerpt.Length > 0 && !string.Equals(point.Excerpt, wholeText, StringComparison.Ordinal))
        {
            sb.Append("  In: \"").Append(point.Excerpt).AppendLine("\"");
        }

        sb.Append("  Why it matters: ").AppendLine(point.Why);
        sb.Append("  Ask yourself: ").AppendLine(point.Ask);
        // A suggestion that already quotes something is an instruction, not a line to say: don't wrap it in quotes again.
        sb.Append("  Try: ").AppendLine(point.Suggestion.Contains('"', StringComparison.Ordinal) ? point.Suggestion : $"\"{point.Suggestion}\"");
    }

    /// <summary>The full reply, for <c>check --format json</c>.</summary>
    public static void Json(Utf8JsonWriter json, CoachingReply reply)
    {
        json.WriteStartObject();
        json.WriteString("text", reply.Text);
        json.WriteString("kind", WireNames.Of(reply.Kind));
        json.WriteString("verdict", WireNames.Of(reply.Verdict));
        json.WriteString("headline", reply.Headline);
        json.WriteStartArray("points");
        foreach (var point in reply.Points)
        {
            FullFinding(json, point);
        }

        json.WriteEndArray();
        if (reply.Praise is { } praise)
        {
            json.WritePropertyName("praise");
            FullFinding(json, praise);
        }
        else
        {
            json.WriteNull("praise");
        }

        json.WriteStartArray("trust_factors");
        foreach (var factor in reply.TrustFactors)
        {
            json.WriteStringValue(WireNames.Of(factor));
        }

        json.WriteEndArray();
        json.WriteStartArray("findings");
        foreach (var finding in reply.Findings)
        {
            FullFinding(json, finding);
        }

        json.WriteEndArray();
        json.WriteString("closing", reply.Closing);
        json.WriteEndObject();
    }

    /// <summary>
    /// One line of <c>check --lines --format jsonl</c>. This shape is a public contract (README,
    /// "Output contract"): fields are only ever added, never renamed or removed.
    /// </summary>
    public static void JsonLine(Utf8JsonWriter json, string text, CoachingReply reply)
    {
        json.WriteStartObject();
        json.WriteString("text", text);
        json.WriteString("kind", WireNames.Of(reply.Kind));
        json.WriteString("verdict", WireNames.Of(reply.Verdict));
        WriteFindings(json, reply.Findings);
        json.WriteEndObject();
    }

    /// <summary>A line of <c>--lines</c> output for a line that could not be coached, so output stays one line per input line.</summary>
    public static void ErrorLine(Utf8JsonWriter json, string text, string error)
    {
        json.WriteStartObject();
        json.WriteString("text", text);
        json.WriteString("error", error);
        json.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        json.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("rule", finding.Rule);
            json.WriteString("category", finding.Category);
            json.WriteString("level", WireNames.Of(finding.Level));
            json.WriteString("confidence", WireNames.Of(finding.Confidence));
            json.WriteString("message", finding.Message);
            json.WriteString("ask", finding.Ask);
            json.WriteString("suggestion", finding.Suggestion);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void FullFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("rule", finding.Rule);
        json.WriteString("category", finding.Category);
        json.WriteString("level", WireNames.Of(finding.Level));
        json.WriteString("confidence", WireNames.Of(finding.Confidence));
        json.WriteString("trust_factor", WireNames.Of(finding.TrustFactor));
        json.WriteString("excerpt", finding.Excerpt);
        json.WriteString("message", finding.Message);
        json.WriteString("why", finding.Why);
        json.WriteString("ask", finding.Ask);
        json.WriteStartArray("suggestions");
        foreach (var suggestion in finding.Suggestions)
        {
            json.WriteStringValue(suggestion);
        }

        json.WriteEndArray();
        json.WriteString("source", finding.Source);
        json.WriteEndObject();
    }
}
