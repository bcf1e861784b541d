namespace CoachBot.Coaching.Text;

/// <summary>A word of the text: where it is, its vocabulary number, and the prefixes it starts with.</summary>
internal readonly record struct Token(int Start, int Length, int Id, int WildStart, int WildCount, int Sentence);

/// <summary>A sentence as a range of tokens and characters; a question when it ends in '?'.</summary>
internal readonly record struct Sentence(int TokenStart, int TokenEnd, int CharStart, int CharEnd, bool IsQuestion);

/// <summary>The rep's text read once: plain text, its words as vocabulary numbers, and its sentences.</summary>
internal sealed class TextView
{
    private TextView(string text, Token[] tokens, int[] wild, Sentence[] sentences)
    {
        Text = text;
        Tokens = tokens;
        Wild = wild;
        Sentences = sentences;
    }

    public string Text { get; }

    public Token[] Tokens { get; }

    public int[] Wild { get; }

    public Sentence[] Sentences { get; }

    public bool Matches(int tokenIndex, int element)
    {
        if (element == Vocabulary.AnyWord)
        {
            return true;
        }

        var token = Tokens[tokenIndex];
        if (token.Id == element)
        {
            return true;
        }

        for (var w = 0; w < token.WildCount; w++)
        {
            if (Wild[token.WildStart + w] == element)
            {
                return true;
            }
        }

        return false;
    }

    public static TextView Read(string plain, Vocabulary vocabulary)
    {
        var lower = plain.ToLowerInvariant();
        var span = lower.AsSpan();
        var tokens = new List<Token>(plain.Length / 4 + 1);
        var wild = new List<int>();
        var sentences = new List<Sentence>(4);
        Span<int> prefixes = stackalloc int[8];

        var sentenceTokenStart = 0;
        var sentenceCharStart = -1;
        var i = 0;
        while (i < span.Length)
        {
            var c = span[i];
            if (Tokenizer.IsWordChar(c))
            {
                var end = Tokenizer.WordEnd(span, i);
                var word = span[i..end];
                var id = vocabulary.Lookup(word);
                var wildStart = wild.Count;
                var wildCount = 0;
                if (vocabulary.HasPrefixes)
                {
                    wildCount = vocabulary.LookupPrefixes(word, prefixes);
                    for (var w = 0; w < wildCount; w++)
                    {
                        wild.Add(prefixes[w]);
                    }
                }

                if (sentenceCharStart < 0)
                {
                    sentenceCharStart = i;
                }

                tokens.Add(new Token(i, end - i, id, wildStart, wildCount, sentences.Count));
                i = end;
                continue;
            }

            if (IsSentenceEnd(span, i))
            {
                var isQuestion = c == '?';
                var stop = i + 1;
                while (stop < span.Length && span[stop] is '?' or '!' or '.')
                {
                    isQuestion |= span[stop] == '?';
                    stop++;
                }

                if (tokens.Count > sentenceTokenStart)
                {
                    sentences.Add(new Sentence(sentenceTokenStart, tokens.Count, sentenceCharStart, stop, isQuestion));
                    sentenceTokenStart = tokens.Count;
                }

                sentenceCharStart = -1;
                i = stop;
                continue;
            }

            i++;
        }

        if (tokens.Count > sentenceTokenStart)
        {
            sentences.Add(new Sentence(sentenceTokenStart, tokens.Count, sentenceCharStart, span.Length, false));
        }

        // Tokens were numbered with the sentence count at the time they were read; that is their sentence.
        return new TextView(plain, [.. tokens], [.. wild], [.. sentences]);
    }

    private static bool IsSentenceEnd(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        if (c == '\n')
        {
            return true;
        }

        if (c is not ('.' or '?' or '!'))
        {
            return false;
        }

        // "3.5", "acme.com" and "page?id=3" keep going: a stop ends a sentence only before a space,
        // a closing quote or bracket, another stop, or the end.
        var next = i + 1;
        while (next < text.Length && text[next] is '.' or '?' or '!')
        {
            next++;
        }

        return next >= text.Length || char.IsWhiteSpace(text[next]) || text[next] is '"' or '\'' or ')' or ']';
    }
}
