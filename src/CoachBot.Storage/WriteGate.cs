namespace CoachBot.Storage;

/// <summary>
/// Puts this process's inbox writes to a SQLite file in line, one at a time.
/// </summary>
/// <remarks>
/// SQLite allows one writer per file. Left to itself, a writer that finds the file locked sleeps in SQLite's busy
/// handler (1, 2, 5, 10 … 100 ms) however soon the lock is free again, and with the endpoints' commits and the
/// workers' claims and completions all in flight that sleeping, not the disk, became the accept latency. Waiting
/// here instead wakes the next writer the moment the last one is done. PostgreSQL needs none of this: it has no
/// gate (null), and its rows lock on their own. The busy timeout stays, for writers outside this process.
/// </remarks>
public sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Enter() => _gate.Wait();

    public Task EnterAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    public void Exit() => _gate.Release();

    public void Dispose() => _gate.Dispose();
}
