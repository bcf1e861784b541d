using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Replies;

/// <summary>
/// The names a draft mentions (a company, a person, a product, a topic), so a suggested rewrite can keep the
/// rep's subject ("calling Acme tomorrow" gets a rewrite about Acme) instead of a stranger's example.
/// </summary>
/// <remarks>
/// A plain reading, no model: capitalised words inside a sentence are names; "Ana at Bluefin" and "Sam from Orbit"
/// make a person and a company; a capitalised name after "our" is the rep's product; "on the rollout" or
/// "about pricing" after a contact word is the topic. A name it misses only costs the generic example.
/// </remarks>
public sealed partial record DraftNames(string? Company, string? Person, string? Topic, string? Product)
{
    /// <summary>The placeholders a rule's suggestion templates may use.</summary>
    public static IReadOnlyList<string> Slots { get; } = ["company", "person", "topic", "product"];

    public static DraftNames None { get; } = new(null, null, null, null);

    public bool IsEmpty => Company is null && Person is null && Topic is null && Product is null;

    /// <summary>The value for a placeholder name; null when the draft did not give one (or the name is unknown).</summary>
    public string? this[string slot] => slot switch
    {
        "company" => Company,
        "person" => Person,
        "topic" => Topic,
        "product" => Product,
        _ => null,
    };

    // Words that are capitalised for other reasons: the rep, days, months, titles and common abbreviations.
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "I", "I'm", "I'll", "I've", "I'd", "OK", "Ok", "Hi", "Hey", "Hello", "Thanks", "Dear", "Re", "Fw", "Fwd", "PS",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed", "Thu", "Fri",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "Q1", "Q2", "Q3", "Q4", "H1", "H2", "EOD", "EOW", "ASAP", "FYI", "CEO", "CFO", "CTO", "CIO", "COO", "CRO", "VP", "SVP", "EVP",
        "RFP", "RFQ", "ROI", "KPI", "KPIs", "SLA", "NDA", "MSA", "SOW", "POC", "PoC", "AM", "PM", "UTC", "CET", "EST", "PST",
        "CRM", "ERP", "API", "APIs", "AI", "IT", "HR", "SaaS", "ML", "UX", "UI", "SEO", "B2B", "PDF", "FAQ", "CSV", "SSO", "USD", "EUR",
        "CoachBot", "Slack", "Teams", "Zoom", "Email", "LinkedIn",
    };

    // Words that end a topic: times, joins and the start of a new clause.
    private static readonly HashSet<string> TopicStops = new(StringComparer.OrdinalIgnoreCase)
    {
        "to", "and", "or", "but", "so", "with", "at", "from", "for", "by", "before", "after", "if", "when", "because", "since",
        "tomorrow", "today", "tonight", "later", "soon", "next", "this", "on", "in", "about", "again", "then", "now", "yet",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning", "afternoon", "evening",
        "is", "are", "was", "were", "be", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "should",
        "i", "we", "you", "they", "he", "she", "it", "me", "us", "them", "him", "her", "my",
    };

    // Topics that name nothing the rewrite could use.
    private static readonly HashSet<string> EmptyTopics = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "this", "that", "things", "stuff", "everything", "anything", "something", "the call", "the meeting", "the email",
        "my email", "my message", "the deal", "the project", "our call", "our meeting", "base", "the phone", "the way",
    };

    private const int MaxLength = 40;

    /// <summary>Reads the names in <paramref name="text"/> (already stripped of channel markup).</summary>
    public static DraftNames Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words().Matches(text).Select(m => new Word(m.Value, m.Index, IsSentenceStart(text, m.Index))).ToList();
        string? company = null, person = null, product = null;
        for (var i = 0; i < words.Count; i++)
        {
            if (!IsName(words[i]))
            {
                continue;
            }

            // A run of capitalised words is one name: "Harbor Foods", "Budget Planner".
            var end = i;
            while (end + 1 < words.Count && IsName(words[end + 1]) && Adjacent(text, words[end], words[end + 1]))
            {
                end++;
            }

            var name = string.Join(' ', words.Skip(i).Take(end - i + 1).Select(w => Bare(w.Text)));
            var before = i > 0 ? words[i - 1].Text.ToLowerInvariant() : "";
            var after = end + 1 < words.Count ? words[end + 1].Text.ToLowerInvariant() : "";
            if (before is "thanks" or "thank" or "best" or "cheers" or "regards" or "sincerely" or "from" && i >= 1 && IsSignOff(text, words[i - 1]))
            {
                // "Thanks, Sam" at the end is the rep signing off, not someone to name.
            }
            else if (before is "hi" or "hello" or "hey" or "dear" or "morning" or "afternoon")
            {
                person ??= name;
            }
            else if (before is "our" or "my")
            {
                product ??= name;
            }
            else if (after is "at" or "from" or "of" && end + 2 < words.Count && IsName(words[end + 2]))
            {
                // "Ana at Bluefin": the person now, the company on the next round.
                person ??= name;
            }
            else if (before is "at" or "from" or "of" && i >= 2 && IsName(words[i - 2]))
            {
                company ??= name;
            }
            else if (before is "mr" or "mrs" or "ms" or "dr")
            {
                person ??= name;
            }
            else
            {
                company ??= name;
            }

            i = end;
        }

        return new DraftNames(Fit(company), Fit(person), Fit(FindTopic(text)), Fit(product));
    }

    private static string? FindTopic(string text)
    {
        var match = TopicCue().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var words = Words().Matches(text[(match.Index + match.Length)..]).ToList();
        var kept = new List<string>();
        var rest = text[(match.Index + match.Length)..];
        foreach (var word in words)
        {
            // A comma, a full stop or a question mark before this word ends the topic.
            var gap = rest[(kept.Count == 0 ? 0 : words[kept.Count - 1].Index + words[kept.Count - 1].Length)..word.Index];
            if (gap.IndexOfAny([',', '.', '?', '!', ';', ':', '(', ')', '\n']) >= 0 || kept.Count == 4)
            {
                break;
            }

            var isDeterminer = word.Value.ToLowerInvariant() is "the" or "their" or "your" or "our" or "a" or "an" or "its" or "his" or "her";
            if ((kept.Count > 0 || !isDeterminer) && TopicStops.Contains(word.Value))
            {
                break;
            }

            kept.Add(word.Value);
        }

        while (kept.Count > 0 && kept[^1].ToLowerInvariant() is "the" or "their" or "your" or "our" or "a" or "an" or "its")
        {
            kept.RemoveAt(kept.Count - 1);
        }

        var topic = string.Join(' ', kept);
        return topic.Length == 0 || EmptyTopics.Contains(topic) || kept.All(w => w.ToLowerInvariant() is "the" or "their" or "your" or "our" or "a" or "an")
            ? null
            : topic;
    }

    private static bool IsName(Word word)
    {
        var bare = Bare(word.Text);
        return bare.Length >= 2
            && char.IsUpper(bare[0])
            && !word.SentenceStart
            && !NotNames.Contains(bare)
            && bare.Skip(1).Any(char.IsLetter);
    }

    // A sign-off word followed by a comma or a line break, then the name.
    private static bool IsSignOff(string text, Word word)
    {
        var rest = text.AsSpan(word.Index + word.Text.Length);
        var trimmed = rest.TrimStart(' ');
        return trimmed.Length > 0 && trimmed[0] is ',' or '\n';
    }

    private static bool Adjacent(string text, Word a, Word b) =>
        text.AsSpan(a.Index + a.Text.Length, b.Index - a.Index - a.Text.Length).Trim().Length == 0;

    // "Acme's" names Acme.
    private static string Bare(string word) =>
        word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("\u2019s", StringComparison.Ordinal) ? word[..^2] : word;

    private static bool IsSentenceStart(string text, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c is '"' or '\u201c' or '\'' or '(' or '*' or '_' or '-' or '>')
            {
                continue;
            }

            return c is '.' or '?' or '!' or ':' or ';' or '\n';
        }

        return true;
    }

    private static string? Fit(string? value) => value is null || value.Length > MaxLength ? null : value;

    private readonly record struct Word(string Text, int Index, bool SentenceStart);

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}&'\u2019\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    // The contact or question words a topic follows: "touch base on the rollout", "talk about pricing", "update on the pilot".
    [GeneratedRegex(
        @"\b(?:(?:check(?:ing)? in|touch(?:ing)? base|catch(?:ing)? up|follow(?:ing)? up|circl(?:e|ing) back|talk(?:ing)?|chat(?:ting)?|updates?|news|thoughts|feedback|questions?|call(?:ing)?|meeting|email(?:ing)?|ping(?:ing)?)\s+(?:(?:with|to)\s+\S+\s+)?(?:on|about|regarding|re:?|around|for)|discuss(?:ing)?|go(?:ing)? over|review(?:ing)?)\s+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopicCue();
}
