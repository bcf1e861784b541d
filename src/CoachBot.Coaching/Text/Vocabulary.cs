using System.Collections.Frozen;

namespace CoachBot.Coaching.Text;

/// <summary>
/// Every word and word prefix that any rule mentions, numbered. Text is read once into word
/// numbers, so rules compare integers instead of strings on the hot path.
/// </summary>
internal sealed class Vocabulary
{
    /// <summary>A phrase element that matches any single word ("other * tell us").</summary>
    public const int AnyWord = -2;

    /// <summary>The number given to a word no rule mentions.</summary>
    public const int Unknown = -1;

    private readonly Dictionary<string, int> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _prefixes = new(StringComparer.Ordinal);
    private FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordLookup;
    private FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _prefixLookup;
    private int _minPrefix = int.MaxValue;
    private int _maxPrefix;
    private bool _frozen;

    public int Count { get; private set; }

    public bool HasPrefixes => _maxPrefix > 0;

    public int Word(string word) => Add(_words, word);

    public int Prefix(string prefix)
    {
        _minPrefix = Math.Min(_minPrefix, prefix.Length);
        _maxPrefix = Math.Max(_maxPrefix, prefix.Length);
        return Add(_prefixes, prefix);
    }

    public void Freeze()
    {
        _wordLookup = _words.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLookup = _prefixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _frozen = true;
    }

    public int Lookup(ReadOnlySpan<char> word) => _wordLookup.TryGetValue(word, out var id) ? id : Unknown;

    /// <summary>Writes the numbers of every rule prefix that <paramref name="word"/> starts with; returns how many.</summary>
    public int LookupPrefixes(ReadOnlySpan<char> word, Span<int> destination)
    {
        var found = 0;
        var longest = Math.Min(word.Length, _maxPrefix);
        for (var length = _minPrefix; length <= longest && found < destination.Length; length++)
        {
            if (_prefixLookup.TryGetValue(word[..length], out var id))
            {
                destination[found++] = id;
            }
        }

        return found;
    }

    private int Add(Dictionary<string, int> map, string key)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("The vocabulary is frozen once the engine is built.");
        }

        if (!map.TryGetValue(key, out var id))
        {
            id = Count++;
            map[key] = id;
        }

        return id;
    }
}
