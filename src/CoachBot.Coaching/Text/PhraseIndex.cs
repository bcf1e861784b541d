namespace CoachBot.Coaching.Text;

/// <summary>
/// Every phrase list of every rule and lexicon entry, indexed by first word. One pass over a
/// text's words counts the hits of all lists at once; each rule then reads its list's count,
/// so adding rules adds almost nothing to the time a message takes.
/// </summary>
internal sealed class PhraseIndex
{
    private readonly Vocabulary _vocabulary;
    private readonly List<int[]> _phrases = [];
    private readonly List<int> _phraseSet = [];
    private readonly List<List<int>> _setPhrases = [];
    private readonly Dictionary<string, int> _setsByKey = new(StringComparer.Ordinal);
    private int[][] _byFirst = [];
    private int[] _anyFirst = [];

    public PhraseIndex(Vocabulary vocabulary) => _vocabulary = vocabulary;

    public int SetCount => _setPhrases.Count;

    /// <summary>Registers a list of phrases and returns its number; the same list registered twice shares one number.</summary>
    public int AddSet(IReadOnlyCollection<string> phrases)
    {
        var key = string.Join('\u001F', phrases.Select(p => string.Join(' ', Tokenizer.Words(p))).Order(StringComparer.Ordinal))
            + "\u001E" + string.Join('\u001F', phrases.Where(p => p.Contains('*', StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        if (_setsByKey.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var set = _setPhrases.Count;
        var members = new List<int>();
        foreach (var phrase in phrases)
        {
            var elements = Parse(phrase);
            if (elements.Length == 0)
            {
                continue;
            }

            members.Add(_phrases.Count);
            _phrases.Add(elements);
            _phraseSet.Add(set);
        }

        _setPhrases.Add(members);
        _setsByKey[key] = set;
        return set;
    }

    /// <summary>Builds the first-word index; call once, after every set is added and before any text is read.</summary>
    public void Freeze()
    {
        var byFirst = new List<int>[_vocabulary.Count];
        var anyFirst = new List<int>();
        for (var p = 0; p < _phrases.Count; p++)
        {
            var first = _phrases[p][0];
            if (first == Vocabulary.AnyWord)
            {
                anyFirst.Add(p);
            }
            else
            {
                (byFirst[first] ??= []).Add(p);
            }
        }

        _byFirst = [.. byFirst.Select(list => list is null ? [] : list.ToArray())];
        _anyFirst = [.. anyFirst];
    }

    /// <summary>Counts, per set, the positions in <c>[start, end)</c> where one of its phrases begins.</summary>
    public void Count(TextView view, int start, int end, Span<int> counts, Span<int> lastHit)
    {
        counts.Clear();
        lastHit.Fill(-1);
        var tokens = view.Tokens;
        for (var t = start; t < end; t++)
        {
            var token = tokens[t];
            if (token.Id >= 0)
            {
                CountCandidates(view, _byFirst[token.Id], t, end, counts, lastHit);
            }

            for (var w = 0; w < token.WildCount; w++)
            {
                CountCandidates(view, _byFirst[view.Wild[token.WildStart + w]], t, end, counts, lastHit);
            }

            if (_anyFirst.Length > 0)
            {
                CountCandidates(view, _anyFirst, t, end, counts, lastHit);
            }
        }
    }

    /// <summary>The length in words of the longest phrase of <paramref name="set"/> at <paramref name="position"/>, or 0.</summary>
    public int MatchAt(int set, TextView view, int position, int end)
    {
        if (position >= end)
        {
            return 0;
        }

        // Only phrases whose first word is this token's can match here; the first-word index finds them.
        var token = view.Tokens[position];
        var longest = token.Id >= 0 ? Longest(_byFirst[token.Id], set, view, position, end, 0) : 0;
        for (var w = 0; w < token.WildCount; w++)
        {
            longest = Longest(_byFirst[view.Wild[token.WildStart + w]], set, view, position, end, longest);
        }

        return _anyFirst.Length > 0 ? Longest(_anyFirst, set, view, position, end, longest) : longest;
    }

    private int Longest(int[] candidates, int set, TextView view, int position, int end, int longest)
    {
        foreach (var p in candidates)
        {
            var phrase = _phrases[p];
            if (_phraseSet[p] == set && phrase.Length > longest && Fits(view, phrase, position, end))
            {
                longest = phrase.Length;
            }
        }

        return longest;
    }

    /// <summary>Whether a phrase of <paramref name="set"/> starts anywhere in <c>[start, end)</c>, without counting.</summary>
    public bool Contains(int set, TextView view, int start, int end) => Contains(set, view, start, end, end);

    /// <summary>Whether a phrase of <paramref name="set"/> starts in <c>[start, lastStart)</c> and fits before <paramref name="end"/>.</summary>
    public bool Contains(int set, TextView view, int start, int lastStart, int end)
    {
        for (var t = start; t < lastStart; t++)
        {
            if (MatchAt(set, view, t, end) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void CountCandidates(TextView view, int[] candidates, int position, int end, Span<int> counts, Span<int> lastHit)
    {
        foreach (var p in candidates)
        {
            var set = _phraseSet[p];
            if (lastHit[set] == position || !Fits(view, _phrases[p], position, end))
            {
                continue;
            }

            lastHit[set] = position;
            counts[set]++;
        }
    }

    private static bool Fits(TextView view, int[] phrase, int position, int end)
    {
        if (position + phrase.Length > end)
        {
            return false;
        }

        for (var e = 0; e < phrase.Length; e++)
        {
            if (!view.Matches(position + e, phrase[e]))
            {
                return false;
            }
        }

        return true;
    }

    private int[] Parse(string phrase)
    {
        var elements = new List<int>();
        foreach (var piece in phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (piece == "*")
            {
                elements.Add(Vocabulary.AnyWord);
                continue;
            }

            var isPrefix = piece.EndsWith('*');
            var words = Tokenizer.Words(isPrefix ? piece[..^1] : piece);
            for (var w = 0; w < words.Count; w++)
            {
                var last = w == words.Count - 1;
                elements.Add(isPrefix && last ? _vocabulary.Prefix(words[w]) : _vocabulary.Word(words[w]));
            }
        }

        return [.. elements];
    }
}
