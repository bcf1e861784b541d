using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Storage;

/// <summary>
/// Group commit for the inbox's hot writes: the endpoints' accepts and the workers' completions. Every caller
/// waits until its row is committed, but the writes that arrive while one commit is on disk share the next one.
/// A channel is only answered once its delivery is durable, and an item is only done once that is durable, yet the
/// cost (an fsync on SQLite, a round trip on PostgreSQL) is paid once per batch, not per request.
/// </summary>
/// <remarks>
/// Completions go first and never share a commit with accepts: a completion is the record that a reply went out, and
/// until it is durable a crash would send that reply again (Teams has no way to look a reply up first). So a
/// completion waits at most for the commit on disk when it arrives and then its own, never behind a batch of accepts.
/// One thread owns one connection and writes batches in order; it blocks in the database, never in the thread
/// pool the requests run on. A failed batch fails each of its callers (a channel then gets a 5xx and retries, so
/// nothing it was told we have is lost; a worker's item stays leased and is retried) and the next batch starts on
/// a fresh connection.
/// </remarks>
public sealed partial class InboxWriter : IDisposable
{
    /// <summary>At most this many writes share a commit; more waiting simply go in the next one.</summary>
    public const int MaxBatch = 256;

    private readonly BlockingCollection<Write> _completions = new();
    private readonly BlockingCollection<Write> _accepts = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly WriteGate? _gate;
    private readonly ILogger<InboxWriter> _logger;
    private readonly Thread _thread;
    private long _acceptCount;

    public InboxWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<InboxWriter> logger, WriteGate? gate = null)
    {
        _scopes = scopes;
        _time = time;
        _gate = gate;
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
        InboxCommands.Validate(item);
        Interlocked.Increment(ref _acceptCount);
        return Enqueue(_accepts, new Accept(item));
    }

    /// <summary>Accepts asked of this writer since it started; the rate tells how busy the channels keep the endpoints.</summary>
    public long Accepts => Interlocked.Read(ref _acceptCount);

    /// <summary>As <see cref="Inbox.CompleteAsync"/>: true once the item is durably Done, false when it was no longer <paramref name="workerId"/>'s.</summary>
    public Task<bool> CompleteAsync(long id, string workerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return Enqueue(_completions, new Complete(id, workerId));
    }

    /// <summary>Stops taking writes and returns once everything already queued is written.</summary>
    public void Dispose()
    {
        // The queue itself is left undisposed: a request arriving during shutdown then gets "adding is completed"
        // (a 500, which the channel retries) rather than an ObjectDisposedException.
        _completions.CompleteAdding();
        _accepts.CompleteAdding();
        _thread.Join();
    }

    private static Task<T> Enqueue<T>(BlockingCollection<Write> queue, Write<T> write)
    {
        queue.Add(write);
        return write.Task;
    }

    /// <summary>The next write, completions first; null once both queues are closed and empty.</summary>
    private Write? Next()
    {
        BlockingCollection<Write>[] queues = [_completions, _accepts];
        while (!(_completions.IsCompleted && _accepts.IsCompleted))
        {
            try
            {
                // Tries the queues in order, so a waiting completion is always taken before an accept.
                if (BlockingCollection<Write>.TryTakeFromAny(queues, out var write, Timeout.Infinite) >= 0)
                {
                    return write;
                }
            }
            catch (ArgumentException)
            {
                // Both queues were closed for adding while this waited.
            }
        }

        return null;
    }

    private void Run()
    {
        var batch = new List<Write>(MaxBatch);
        Session? session = null;
        while (Next() is { } first)
        {
            // A batch is all completions or all accepts; see the remarks.
            var queue = first is Complete ? _completions : _accepts;
            batch.Add(first);
            while (batch.Count < MaxBatch && queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            _gate?.Enter();
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
                foreach (var write in batch)
                {
                    write.Fail(ex);
                }
            }
            finally
            {
                _gate?.Exit();
            }

            batch.Clear();
        }

        session?.Dispose();
    }

    private void Commit(Session session, List<Write> batch)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        using (var transaction = session.Connection.BeginTransaction())
        {
            if (session.Commands.CanBatch)
            {
                ExecuteInOneRoundTrip(session.Commands, batch, now, transaction);
            }
            else
            {
                foreach (var write in batch)
                {
                    write.Execute(session.Commands, now, transaction);
                }
            }

            transaction.Commit();
        }

        // Only now, with the rows on disk, may any caller answer its channel or move on.
        foreach (var write in batch)
        {
            write.Succeed();
        }
    }

    private static void ExecuteInOneRoundTrip(InboxCommands commands, List<Write> batch, DateTime now, DbTransaction transaction)
    {
        using var statements = commands.NewBatch(transaction);
        foreach (var write in batch)
        {
            write.AddTo(statements, now);
        }

        using var reader = statements.ExecuteReader();
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0 && !reader.NextResult())
            {
                throw new InvalidOperationException($"The database answered {i} of {batch.Count} inbox statements.");
            }

            batch[i].ReadFrom(reader, now);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} inbox changes ({Error}); their callers get an error and retry")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    private abstract class Write
    {
        public abstract void Execute(InboxCommands commands, DateTime now, DbTransaction transaction);

        /// <summary>Adds this write's statement to a batch that goes to the server in one round trip.</summary>
        public abstract void AddTo(DbBatch batch, DateTime now);

        /// <summary>Takes this write's result from the batch's result set the reader is on.</summary>
        public abstract void ReadFrom(DbDataReader reader, DateTime now);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    /// <summary>A write whose result is held until its batch commits.</summary>
    private abstract class Write<T> : Write
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public sealed override void Execute(InboxCommands commands, DateTime now, DbTransaction transaction) =>
            _result = Run(commands, now, transaction);

        public sealed override void ReadFrom(DbDataReader reader, DateTime now) => _result = Read(reader, now);

        public sealed override void Succeed() => _done.TrySetResult(_result);

        public sealed override void Fail(Exception exception) => _done.TrySetException(exception);

        protected abstract T Run(InboxCommands commands, DateTime now, DbTransaction transaction);

        protected abstract T Read(DbDataReader reader, DateTime now);
    }

    private sealed class Accept(InboxItem item) : Write<AcceptResult>
    {
        protected override AcceptResult Run(InboxCommands commands, DateTime now, DbTransaction transaction) =>
            commands.Accept(item, now, transaction);

        public override void AddTo(DbBatch batch, DateTime now) => InboxCommands.AddAccept(batch, item, now);

        protected override AcceptResult Read(DbDataReader reader, DateTime now) => InboxCommands.ReadAccept(reader, item, now);
    }

    private sealed class Complete(long id, string workerId) : Write<bool>
    {
        protected override bool Run(InboxCommands commands, DateTime now, DbTransaction transaction) =>
            commands.Complete(id, workerId, transaction);

        public override void AddTo(DbBatch batch, DateTime now) => InboxCommands.AddComplete(batch, id, workerId);

        protected override bool Read(DbDataReader reader, DateTime now) => InboxCommands.ReadComplete(reader);
    }

    /// <summary>The writer's own context and open connection, kept between batches so prepared statements stay prepared.</summary>
    private sealed class Session : IDisposable
    {
        private readonly IServiceScope _scope;
        private readonly CoachBotDbContext _db;

        private Session(IServiceScope scope, CoachBotDbContext db, InboxCommands commands)
        {
            _scope = scope;
            _db = db;
            Commands = commands;
        }

        public DbConnection Connection => _db.Database.GetDbConnection();

        public InboxCommands Commands { get; }

        public static Session Open(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateScope();
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<CoachBotDbContext>();

                // Opened through EF so the provider's per-connection settings (SQLite's busy timeout) apply.
                db.Database.OpenConnection();
                return new Session(scope, db, new InboxCommands(db.Database.GetDbConnection()));
            }
            catch
            {
                scope.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Commands.Dispose();
            _db.Database.CloseConnection();
            _scope.Dispose();
        }
    }
}
