using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace CoachBot.Teams;

/// <summary>
/// A token whose signature, issuer, audience and lifetime passed under <paramref name="KeySet"/>, with what the
/// per-request checks need. <paramref name="Accepted"/> is handed to every request it authenticates; its
/// identity is shared, so callers read it and never change it.
/// </summary>
internal sealed record VerifiedToken(
    SigningKeySet KeySet,
    DateTimeOffset? NotBefore,
    DateTimeOffset Expires,
    string? ServiceUrl,
    FrozenSet<string> Endorsements,
    Task<AuthenticationResult> Accepted,
    DateTimeOffset HonouredUntil);

/// <summary>
/// Verified tokens remembered by their exact text, so a token Bot Service sends with many activities has its RSA
/// signature checked once. An entry is honoured only under the key set it was verified with and never past
/// <see cref="VerifiedToken.HonouredUntil"/>; at most <c>capacity</c> entries are kept.
/// </summary>
internal sealed class VerifiedTokenCache
{
    // When the cache is full, expired entries are swept out at most this often; in between, new tokens
    // are checked in full but not remembered, so a full cache costs no more than no cache.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _entryLifetime;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, VerifiedToken> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VerifiedToken>.AlternateLookup<ReadOnlySpan<char>> _verifiedBySpan;
    private long _nextSweepTicks;

    public VerifiedTokenCache(TimeSpan entryLifetime, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entryLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _entryLifetime = entryLifetime;
        _capacity = capacity;
        _verifiedBySpan = _verified.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _verified.Count;

    /// <summary>How long a token verified at <paramref name="now"/> may be honoured, never past its expiry plus the skew.</summary>
    public DateTimeOffset HonourUntil(DateTimeOffset now, DateTimeOffset expires)
    {
        var a = now + _entryLifetime;
        var b = expires + ChannelTokenRules.ClockSkew;
        return a < b ? a : b;
    }

    /// <summary>Looked up by span: a hit allocates nothing, not even the token's string.</summary>
    public bool TryGet(ReadOnlySpan<char> token, SigningKeySet? current, DateTimeOffset now, out VerifiedToken verified) =>
        _verifiedBySpan.TryGetValue(token, out verified!)
        && ReferenceEquals(verified.KeySet, current)
        && now < verified.HonouredUntil;

    public void Remember(string token, VerifiedToken verified, DateTimeOffset now)
    {
        if (_entryLifetime <= TimeSpan.Zero || _capacity == 0 || verified.HonouredUntil <= now)
        {
            return;
        }

        if (_verified.Count >= _capacity && !Sweep(now, verified.KeySet))
        {
            return;
        }

        // Racing inserts may overshoot the capacity by the number of concurrent misses; the next sweep takes it back.
        _verified[token] = verified;
    }

    /// <summary>Forgets every token: the key set changed, and a key the Bot Framework withdrew must not be honoured from here.</summary>
    public void Clear() => _verified.Clear();

    /// <summary>Drops entries no longer honoured; false when the cache is still full (or was swept too recently to try).</summary>
    private bool Sweep(DateTimeOffset now, SigningKeySet current)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return false;
        }

        foreach (var (token, entry) in _verified)
        {
            if (entry.HonouredUntil <= now || !ReferenceEquals(entry.KeySet, current))
            {
                _verified.TryRemove(KeyValuePair.Create(token, entry));
            }
        }

        return _verified.Count < _capacity;
    }
}
