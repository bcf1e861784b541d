namespace CoachBot.Coaching.Learned;

/// <summary>
/// What the second opinion reads: lower-cased words, word pairs, the opening two words (a
/// question's shape) and which rules fired. Word pairs carry ideas a single word cannot ("your
/// budget" vs "budget freeze"); the fired rules let the model learn how far each rule is trusted.
/// </summary>
public static class TextFeatures
{
    public static List<string> Of(string text, IEnumerable<string> firedRules)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(firedRules);
        var words = Words(text);
        var features = new List<string>(words.Count * 2 + 4);
        foreach (var word in words)
        {
            features.Add("w:" + word);
        }

        for (var i = 1; i < words.Count; i++)
        {
            features.Add("b:" + words[i - 1] + " " + words[i]);
        }

        if (words.Count > 0)
        {
            features.Add("s:" + words[0] + (words.Count > 1 ? " " + words[1] : ""));
        }

        if (text.TrimEnd().EndsWith('?'))
        {
            features.Add("q");
        }

        features.Add(words.Count switch { <= 5 => "len:short", <= 15 => "len:mid", _ => "len:long" });
        foreach (var rule in firedRules)
        {
            features.Add("r:" + rule);
        }

        return features;
    }

    /// <summary>Words: letters and digits, apostrophes kept inside ("don't"), curly ones read as straight.</summary>
    public static List<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var span = text.AsSpan();
        var i = 0;
        Span<char> buffer = stackalloc char[64];
        while (i < span.Length)
        {
            if (!char.IsLetterOrDigit(span[i]))
            {
                i++;
                continue;
            }

            var length = 0;
            while (i < span.Length && (char.IsLetterOrDigit(span[i])
                || ((span[i] == '\'' || span[i] == '\u2019') && i + 1 < span.Length && char.IsLetterOrDigit(span[i + 1]))))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = span[i] == '\u2019' ? '\'' : char.ToLowerInvariant(span[i]);
                }

                i++;
            }

            words.Add(new string(buffer[..length]));
        }

        return words;
    }
}
