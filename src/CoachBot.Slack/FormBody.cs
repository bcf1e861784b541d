using System.Net;
using System.Text;

namespace CoachBot.Slack;

/// <summary>An <c>application/x-www-form-urlencoded</c> body, decoded the way Node's <c>querystring.parse</c> (Bolt) does.</summary>
internal sealed class FormBody
{
    private readonly List<KeyValuePair<string, string>> _fields;

    private FormBody(List<KeyValuePair<string, string>> fields) => _fields = fields;

    public static FormBody Parse(ReadOnlySpan<byte> body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var text = Encoding.UTF8.GetString(body);
        foreach (var range in text.AsSpan().Split('&'))
        {
            var pair = text.AsSpan()[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            // A field without '=' has an empty value, as in querystring.parse.
            var equals = pair.IndexOf('=');
            fields.Add(equals < 0 ? new(Decode(pair), "") : new(Decode(pair[..equals]), Decode(pair[(equals + 1)..])));
        }

        return new FormBody(fields);
    }

    /// <summary>
    /// The field's value when it appears exactly once, else null. A repeated field is ambiguous (querystring.parse makes
    /// it an array, which Bolt's <c>ssl_check === '1'</c> then fails), and Slack never repeats one.
    /// </summary>
    public string? Single(string name)
    {
        string? found = null;
        foreach (var (key, value) in _fields)
        {
            if (key == name)
            {
                if (found is not null)
                {
                    return null;
                }

                found = value;
            }
        }

        return found;
    }

    /// <summary>Like <see cref="Single"/>, but an empty value counts as absent (Slack sends optional fields empty).</summary>
    public string? NonEmpty(string name) => Single(name) is { Length: > 0 } value ? value : null;

    // WebUtility.UrlDecode turns '+' into a space and %XX sequences into UTF-8 text, as a browser form encodes them.
    private static string Decode(ReadOnlySpan<char> text) => WebUtility.UrlDecode(text.ToString());
}
