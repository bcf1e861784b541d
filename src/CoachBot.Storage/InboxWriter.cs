using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Storage;

/// <summary>
/// Group commit for the endpoints: every accept waits until its row is committed, but the accepts that arrive
/// while one commit is on disk share the next one. A channel is only answered once its delivery is durable,
/// and the cost of that (an fsync on SQLite, a round trip on PostgreSQL) is paid once per batch, not per request.
/// </summary>
/// <remarks>
/// One thread owns one connection and writes batches in order; it blocks in the database, never in the thread
/// pool the requests run on. A failed batch fails each of its callers (the channel then gets a 5xx and retries,
/// so nothing it was told we have is lost) and the next batch starts on a fresh connection.
/// </remarks>
public sealed partial class InboxWriter : IDisposable
{
    /// <summary>At most this many rows share a commit; more waiting simply go in the next one.</summary>
    public const int MaxBatch = 256;

    private readonly BlockingCollection<Pending> _queue = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<InboxWriter> _logger;
    private readonly Thread _thread;

    public InboxWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<InboxWriter> logger)
    {
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "inbox-writer" };
        _thread.Start();
    }

    /// <summary>
    /// Persists <paramref name="item"/>; the task ends once it is committed (<see cref="AcceptResult.Accepted"/>), or
    /// found already there (<see cref="AcceptResult.Duplicate"/>). It faults when the database could not take it.
    /// </summary>
    public Task<AcceptResult> AcceptAsync(InboxItem item)
    {
        InboxInsert.Validate(item);
        var pending = new Pending(item);
        _queue.Add(pending);
        return pending.Task;
    }

    /// <summary>Stops taking accepts and returns once everything already queued is written.</summary>
    public void Dispose()
    {
        // The queue itself is left undisposed: a request arriving during shutdown then gets "adding is completed"
        // (a 500, which the channel retries) rather than an ObjectDisposedException.
        _queue.CompleteAdding();
        _thread.Join();
    }

    private void Run()
    {
        var batch = new List<Pending>(MaxBatch);
        Session? session = null;
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            try
            {
                session ??= Session.Open(_scopes);
                Commit(session, batch);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogBatchFailed(_logger, batch.Count, ex.GetType().Name);
                session?.Dispose();
                session = null;
                foreach (var pending in batch)
                {
                    pending.TrySetException(ex);
                }
            }

            batch.Clear();
        }

        session?.Dispose();
    }

    private void Commit(Session session, List<Pending> batch)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var results = new AcceptResult[batch.Count];
        using (var transaction = session.Connection.BeginTransaction())
        {
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = session.Insert.Write(batch[i].Item, now, transaction);
            }

            transaction.Commit();
        }

        // Only now, with the rows on disk, may any caller answer its channel.
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].TrySetResult(results[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} inbox items ({Error}); their requests get an error and the channel retries")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    private sealed class Pending(InboxItem item) : TaskCompletionSource<AcceptResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public InboxItem Item { get; } = item;
    }

    /// <summary>The writer's own context and open connection, kept between batches so the INSERT stays prepared.</summary>
    private sealed class Session : IDisposable
    {
        private readonly IServiceScope _scope;
        private readonly CoachBotDbContext _db;

        private Session(IServiceScope scope, CoachBotDbContext db, InboxInsert insert)
        {
            _scope = scope;
            _db = db;
            Insert = insert;
        }

        public DbConnection Connection => _db.Database.GetDbConnection();

        public InboxInsert Insert { get; }

        public static Session Open(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateScope();
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<CoachBotDbContext>();

                // Opened through EF so the provider's per-connection settings (SQLite's busy timeout) apply.
                db.Database.OpenConnection();
                return new Session(scope, db, new InboxInsert(db.Database.GetDbConnection()));
            }
            catch
            {
                scope.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Insert.Dispose();
            _db.Database.CloseConnection();
            _scope.Dispose();
        }
    }
}
