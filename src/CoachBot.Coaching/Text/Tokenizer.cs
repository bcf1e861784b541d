namespace CoachBot.Coaching.Text;

/// <summary>
/// Splits text into words the same way for rules and for what reps type, so a phrase in a rule
/// file and the same words in a message always line up. A word is letters and digits, with
/// apostrophes and hyphens kept inside it ("don't", "follow-up").
/// </summary>
internal static class Tokenizer
{
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    /// <summary>Returns the end of the word starting at <paramref name="start"/>.</summary>
    public static int WordEnd(ReadOnlySpan<char> text, int start)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWordChar(c))
            {
                i++;
            }
            else if ((c == '\'' || c == '-') && i + 1 < text.Length && IsWordChar(text[i + 1]) && i > start)
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The words of a short phrase, lower-cased; used when loading rules, not on the hot path.</summary>
    public static List<string> Words(string phrase)
    {
        var words = new List<string>();
        var span = phrase.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            if (!IsWordChar(span[i]))
            {
                i++;
                continue;
            }

            var end = WordEnd(span, i);
            words.Add(span[i..end].ToString().ToLowerInvariant());
            i = end;
        }

        return words;
    }
}
