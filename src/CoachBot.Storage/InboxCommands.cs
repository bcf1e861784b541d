using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CoachBot.Storage;

/// <summary>
/// The inbox's two hot writes as prepared statements, for SQLite and PostgreSQL alike: taking a delivery in (an
/// INSERT that a duplicate key turns into no row rather than an error, so a batch with a retry in it still commits
/// the rest) and marking an item done. <see cref="Inbox"/> runs them one at a time; <see cref="InboxWriter"/>
/// runs many in one transaction.
/// </summary>
/// <remarks>
/// On SQLite each command is prepared once per connection and reused for every row, which keeps the compiled
/// statement (most of the cost of a small write). On PostgreSQL the writer sends a whole batch in one round trip
/// (<see cref="CanBatch"/>), and Npgsql's auto-prepare (StorageOptions.DefaultMaxAutoPrepare) keeps those statements
/// prepared. Column names are EF's (see InboxItemMapping); the storage tests run these against both providers' migrations.
/// </remarks>
internal sealed class InboxCommands : IDisposable
{
    private const string InsertSql = """
        INSERT INTO inbox ("Channel", "DeliveryKey", "DedupeKey", "Payload", "ReceivedAt", "Attempts", "NextAttemptAt", "State")
        VALUES (@channel, @delivery, @dedupe, @payload, @now, 0, @now, 'Pending')
        ON CONFLICT DO NOTHING
        """;

    // PostgreSQL learns the new id from RETURNING. On SQLite, RETURNING makes Microsoft.Data.Sqlite read the insert
    // back through a data reader, which doubles its cost (about 21 to 43 µs a row here); the row count and
    // sqlite3_last_insert_rowid tell the same for nothing.
    private const string ReturningId = "\nRETURNING \"Id\"";

    // Only the worker that holds the item may end it: after its lease ran out another worker may have claimed it.
    // The payload goes: message text is not kept once it has been answered.
    private const string CompleteSql = """
        UPDATE inbox SET "State" = 'Done', "Payload" = NULL, "LeaseUntil" = NULL, "LeaseOwner" = NULL, "LastError" = NULL
        WHERE "Id" = @id AND "State" = 'Pending' AND "LeaseOwner" = @worker
        """;

    // Claims the oldest due, unleased items in one statement. On PostgreSQL, FOR UPDATE SKIP LOCKED lets replicas claim
    // side by side without waiting for or double-claiming each other's rows; SQLite has one writer at a time anyway
    // (and WriteGate puts this process's writers in line), so the plain subquery is atomic there.
    private const string ClaimHead = """
        UPDATE inbox SET "LeaseUntil" = @until, "LeaseOwner" = @worker, "Attempts" = "Attempts" + 1
        WHERE "Id" IN (
            SELECT "Id" FROM inbox
            WHERE "State" = 'Pending' AND "NextAttemptAt" <= @now AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= @now)
            ORDER BY "ReceivedAt", "Id"
            LIMIT @max
        """;

    private const string ClaimTail = """
        )
        RETURNING "Id", "Channel", "DeliveryKey", "DedupeKey", "Payload", "ReceivedAt", "Attempts", "NextAttemptAt", "LeaseUntil"
        """;

    private readonly DbConnection _connection;
    private readonly SqliteConnection? _sqlite;
    private readonly DbCommand _insert;
    private readonly DbParameter _channel;
    private readonly DbParameter _delivery;
    private readonly DbParameter _dedupe;
    private readonly DbParameter _payload;
    private readonly DbParameter _now;
    private readonly DbCommand _complete;
    private readonly DbParameter _id;
    private readonly DbParameter _worker;
    private readonly DbCommand _claim;
    private readonly DbParameter _claimNow;
    private readonly DbParameter _claimUntil;
    private readonly DbParameter _claimWorker;
    private readonly DbParameter _claimMax;

    public InboxCommands(DbConnection connection)
    {
        _connection = connection;
        _sqlite = connection as SqliteConnection;
        _insert = connection.CreateCommand();
        _insert.CommandText = _sqlite is null ? InsertSql + ReturningId : InsertSql;
        _channel = Add(_insert, "@channel");
        _delivery = Add(_insert, "@delivery");
        _dedupe = Add(_insert, "@dedupe");
        _payload = Add(_insert, "@payload");
        _now = Add(_insert, "@now");

        _complete = connection.CreateCommand();
        _complete.CommandText = CompleteSql;
        _id = Add(_complete, "@id");
        _worker = Add(_complete, "@worker");

        _claim = connection.CreateCommand();
        _claim.CommandText = ClaimHead + (connection is Npgsql.NpgsqlConnection ? " FOR UPDATE SKIP LOCKED" : "") + ClaimTail;
        _claimNow = Add(_claim, "@now");
        _claimUntil = Add(_claim, "@until");
        _claimWorker = Add(_claim, "@worker");
        _claimMax = Add(_claim, "@max");
    }

    /// <summary>
    /// True where many statements can go to the server in one round trip (PostgreSQL). There a batch of writes costs
    /// one round trip instead of one per row; SQLite runs in the process, where the prepared commands are cheaper.
    /// </summary>
    public bool CanBatch => _sqlite is null && _connection.CanCreateBatch;

    /// <summary>An empty batch in <paramref name="transaction"/>; see <see cref="CanBatch"/>.</summary>
    public DbBatch NewBatch(DbTransaction transaction)
    {
        var batch = _connection.CreateBatch();
        batch.Transaction = transaction;
        return batch;
    }

    /// <summary>Adds <see cref="Accept"/>'s insert to <paramref name="batch"/>; <see cref="ReadAccept"/> reads its result.</summary>
    public static void AddAccept(DbBatch batch, InboxItem item, DateTime now)
    {
        var command = Add(batch, InsertSql + ReturningId);
        Add(command, "@channel", item.Channel);
        Add(command, "@delivery", item.DeliveryKey);
        Add(command, "@dedupe", item.DedupeKey);
        Add(command, "@payload", item.Payload);
        Add(command, "@now", now);
    }

    /// <summary>Reads the result set of an <see cref="AddAccept"/> statement: the new row's id, or none for a duplicate.</summary>
    public static AcceptResult ReadAccept(DbDataReader reader, InboxItem item, DateTime now) =>
        Accepted(item, now, reader.Read() ? reader.GetValue(0) : null);

    /// <summary>Adds <see cref="Complete"/>'s update to <paramref name="batch"/>; <see cref="ReadComplete"/> reads its result.</summary>
    public static void AddComplete(DbBatch batch, long id, string workerId)
    {
        // RETURNING gives every statement in the batch a result set, so results are read by position alone.
        var command = Add(batch, CompleteSql + "\nRETURNING \"Id\"");
        Add(command, "@id", id);
        Add(command, "@worker", workerId);
    }

    /// <summary>Reads the result set of an <see cref="AddComplete"/> statement: true when the item was ended.</summary>
    public static bool ReadComplete(DbDataReader reader) => reader.Read();

    /// <summary>Checks an item before it is queued, so a caller's mistake is its own exception, not its batch's.</summary>
    public static void Validate(InboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Channel is not (InboxItem.Slack or InboxItem.Teams))
        {
            throw new ArgumentException($"Channel must be '{InboxItem.Slack}' or '{InboxItem.Teams}'.", nameof(item));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(item.DeliveryKey, nameof(item));
    }

    /// <summary>Inserts <paramref name="item"/>; sets its id and state when it is new.</summary>
    public AcceptResult Accept(InboxItem item, DateTime now, DbTransaction? transaction)
    {
        BindAccept(item, now, transaction);
        return _sqlite is null ? Accepted(item, now, _insert.ExecuteScalar()) : InsertedOnSqlite(item, now, _insert.ExecuteNonQuery());
    }

    /// <inheritdoc cref="Accept"/>
    public async Task<AcceptResult> AcceptAsync(InboxItem item, DateTime now, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        BindAccept(item, now, transaction);
        return _sqlite is null
            ? Accepted(item, now, await _insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))
            : InsertedOnSqlite(item, now, await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Marks the item Done; false when it is not <paramref name="workerId"/>'s to end.</summary>
    public bool Complete(long id, string workerId, DbTransaction? transaction)
    {
        BindComplete(id, workerId, transaction);
        return _complete.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc cref="Complete"/>
    public async Task<bool> CompleteAsync(long id, string workerId, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        BindComplete(id, workerId, transaction);
        return await _complete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> of the oldest due items to <paramref name="workerId"/> until
    /// <paramref name="until"/>, counting the attempt; returns them oldest first, each with its new attempt count.
    /// </summary>
    public async Task<List<InboxItem>> ClaimAsync(
        string workerId, DateTime now, DateTime until, int max, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        _claim.Transaction = transaction;
        _claimNow.Value = now;
        _claimUntil.Value = until;
        _claimWorker.Value = workerId;
        _claimMax.Value = max;
        var claimed = new List<InboxItem>(max);
        var reader = await _claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(new InboxItem
                {
                    Id = reader.GetInt64(0),
                    Channel = reader.GetString(1),
                    DeliveryKey = reader.GetString(2),
                    DedupeKey = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Payload = reader.IsDBNull(4) ? null : reader.GetString(4),
                    ReceivedAt = Utc(reader.GetDateTime(5)),
                    Attempts = reader.GetInt32(6),
                    NextAttemptAt = Utc(reader.GetDateTime(7)),
                    LeaseUntil = Utc(reader.GetDateTime(8)),
                    LeaseOwner = workerId,
                    State = InboxState.Pending,
                });
            }
        }

        // RETURNING gives no order; the workers start on the oldest first.
        claimed.Sort(static (a, b) => a.ReceivedAt != b.ReceivedAt ? a.ReceivedAt.CompareTo(b.ReceivedAt) : a.Id.CompareTo(b.Id));
        return claimed;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _complete.Dispose();
        _claim.Dispose();
    }

    // SQLite hands back the stored text without a kind; every time in the inbox is UTC.
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static AcceptResult Accepted(InboxItem item, DateTime now, object? id)
    {
        if (id is null or DBNull)
        {
            return AcceptResult.Duplicate;
        }

        item.Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
        item.ReceivedAt = now;
        item.NextAttemptAt = now;
        item.State = InboxState.Pending;
        return AcceptResult.Accepted;
    }

    // ON CONFLICT DO NOTHING inserted no row for a duplicate; otherwise the id is the connection's last insert.
    private AcceptResult InsertedOnSqlite(InboxItem item, DateTime now, int rows) =>
        Accepted(item, now, rows == 0 ? null : SQLitePCL.raw.sqlite3_last_insert_rowid(_sqlite!.Handle));

    private static DbBatchCommand Add(DbBatch batch, string sql)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        batch.BatchCommands.Add(command);
        return command;
    }

    private static void Add(DbBatchCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private void BindAccept(InboxItem item, DateTime now, DbTransaction? transaction)
    {
        _insert.Transaction = transaction;
        _channel.Value = item.Channel;
        _delivery.Value = item.DeliveryKey;
        _dedupe.Value = (object?)item.DedupeKey ?? DBNull.Value;
        _payload.Value = (object?)item.Payload ?? DBNull.Value;
        _now.Value = now;
    }

    private void BindComplete(long id, string workerId, DbTransaction? transaction)
    {
        _complete.Transaction = transaction;
        _id.Value = id;
        _worker.Value = workerId;
    }
}
