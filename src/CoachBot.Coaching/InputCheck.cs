namespace CoachBot.Coaching;

/// <summary>
/// Checks text before it reaches the rules, so a rep gets a clear sentence back instead of a
/// stack trace or a strange reading of junk.
/// </summary>
public static class InputCheck
{
    /// <summary>The longest text CoachBot coaches; longer texts are drafts of documents, not questions or notes.</summary>
    public const int MaxLength = 4000;

    /// <summary>Returns why the text cannot be coached, or null when it can.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "There's no text to coach. Send a question you plan to ask, a pre-call note, or a draft message.";
        }

        // Counted in characters as a person sees them: an emoji is one, not two UTF-16 units.
        var length = text.Length > MaxLength ? text.Trim().EnumerateRunes().Count() : 0;
        if (length > MaxLength)
        {
            return $"That's {length:N0} characters; I coach up to {MaxLength:N0} at a time. Send one question, note or message.";
        }

        var control = 0;
        var letters = 0;
        foreach (var c in text)
        {
            if (c == '\0' || c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            {
                control++;
            }
            else if (char.IsLetter(c))
            {
                letters++;
            }
        }

        if (control > 0 && control * 20 > text.Length)
        {
            return "That doesn't look like text (it has binary or control characters). Send the words of your question, note or message.";
        }

        if (letters == 0)
        {
            return "There are no words in that to coach. Send a question you plan to ask, a pre-call note, or a draft message.";
        }

        return null;
    }
}
