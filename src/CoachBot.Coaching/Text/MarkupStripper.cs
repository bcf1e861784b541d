using System.Buffers;
using System.Text;

namespace CoachBot.Coaching.Text;

/// <summary>
/// Turns Slack mrkdwn and Teams HTML into the plain words a rep typed: mentions go, links keep
/// their label, formatting marks and entities are removed. Rules then never trip over markup.
/// </summary>
public static class MarkupStripper
{
    // Characters that start markup or need normalising; most texts have none and pass through untouched.
    private static readonly SearchValues<char> Special = SearchValues.Create("<&*~`_\u2018\u2019\u02BC\u201C\u201D\u00A0\t\r\n");

    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.ContainsAny(Special) && !trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed.Length == text.Length ? text : trimmed.ToString();
        }

        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                var close = text.IndexOf('>', i + 1);
                if (close > i)
                {
                    i = AppendTag(text, i, close, sb);
                    continue;
                }
            }
            else if (c == '&' && TryDecodeEntity(text, i, out var decoded, out var length))
            {
                sb.Append(decoded);
                i += length;
                continue;
            }
            else if (c is '*' or '~' or '`' || (c == '_' && IsFormattingUnderscore(text, i)))
            {
                i++;
                continue;
            }
            else if (c is '\u2018' or '\u2019' or '\u02BC')
            {
                sb.Append('\'');
                i++;
                continue;
            }
            else if (c is '\u201C' or '\u201D')
            {
                sb.Append('"');
                i++;
                continue;
            }
            else if (c is '\u00A0' or '\t' or '\r')
            {
                sb.Append(c == '\r' ? '\n' : ' ');
                i++;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return CollapseSpaces(sb);
    }

    private static int AppendTag(string text, int open, int close, StringBuilder sb)
    {
        var inner = text.AsSpan(open + 1, close - open - 1);
        var next = close + 1;

        // Teams: <at>Bot name</at> is the mention of the bot itself; drop it with its content.
        if (inner.Equals("at", StringComparison.OrdinalIgnoreCase))
        {
            var end = text.IndexOf("</at>", next, StringComparison.OrdinalIgnoreCase);
            return end < 0 ? next : end + "</at>".Length;
        }

        if (inner.Length > 0 && inner[0] == '@')
        {
            return next; // Slack user mention <@U123> or <@U123|name>.
        }

        if (inner.Length > 0 && inner[0] == '!')
        {
            return next; // <!here>, <!channel>, <!subteam^ID>.
        }

        var pipe = inner.IndexOf('|');
        if (inner.Length > 0 && inner[0] == '#')
        {
            sb.Append('#').Append(pipe >= 0 ? inner[(pipe + 1)..] : inner[1..]);
            return next;
        }

        if (LooksLikeLink(inner))
        {
            sb.Append(pipe >= 0 ? inner[(pipe + 1)..] : inner);
            return next;
        }

        // An HTML tag from Teams (<p>, <br/>, <div>): block tags separate sentences, inline ones vanish.
        var name = TagName(inner);
        if (name.Length == 0)
        {
            sb.Append('<');
            return open + 1;
        }

        if (name is "p" or "br" or "div" or "li" or "ul" or "ol" or "tr" or "h1" or "h2" or "h3")
        {
            sb.Append('\n');
        }

        return next;
    }

    private static bool LooksLikeLink(ReadOnlySpan<char> inner) =>
        inner.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || inner.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || inner.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
        || inner.StartsWith("tel:", StringComparison.OrdinalIgnoreCase);

    // The tags Teams puts in message HTML; anything else in angle brackets ("<50 people") is text.
    private static readonly string[] HtmlTags =
        ["p", "br", "div", "span", "a", "b", "i", "u", "s", "em", "strong", "strike", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "pre", "code", "blockquote", "img", "hr", "font", "sup", "sub"];

    private static string TagName(ReadOnlySpan<char> inner)
    {
        var s = inner.TrimStart('/');
        var end = 0;
        while (end < s.Length && char.IsAsciiLetterOrDigit(s[end]))
        {
            end++;
        }

        if (end == 0 || !char.IsAsciiLetter(s[0]) || !HtmlTags.Contains(s[..end].ToString().ToLowerInvariant(), StringComparer.Ordinal))
        {
            return "";
        }

        // Only something shaped like a tag counts; "<3" or "< 5 users" stays text.
        var rest = s[end..];
        if (!rest.IsEmpty && !char.IsWhiteSpace(rest[0]) && rest[0] != '/')
        {
            return "";
        }

        return s[..end].ToString().ToLowerInvariant();
    }

    private static bool IsFormattingUnderscore(string text, int i)
    {
        var before = i == 0 ? ' ' : text[i - 1];
        var after = i + 1 >= text.Length ? ' ' : text[i + 1];
        return !char.IsLetterOrDigit(before) || !char.IsLetterOrDigit(after);
    }

    private static bool TryDecodeEntity(string text, int i, out string decoded, out int length)
    {
        ReadOnlySpan<(string Entity, string Value)> entities =
        [
            ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "),
        ];
        foreach (var (entity, value) in entities)
        {
            if (string.CompareOrdinal(text, i, entity, 0, entity.Length) == 0)
            {
                decoded = value;
                length = entity.Length;
                return true;
            }
        }

        decoded = "";
        length = 0;
        return false;
    }

    private static string CollapseSpaces(StringBuilder sb)
    {
        var result = new StringBuilder(sb.Length);
        var pendingSpace = false;
        var pendingNewline = false;
        for (var i = 0; i < sb.Length; i++)
        {
            var c = sb[i];
            if (c == '\n')
            {
                pendingNewline = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (result.Length > 0)
            {
                if (pendingNewline)
                {
                    result.Append('\n');
                }
                else if (pendingSpace)
                {
                    result.Append(' ');
                }
            }

            pendingSpace = false;
            pendingNewline = false;
            result.Append(c);
        }

        return result.ToString();
    }
}
