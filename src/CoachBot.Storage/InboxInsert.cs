using System.Data.Common;

namespace CoachBot.Storage;

/// <summary>
/// The one way an inbox item is written: an INSERT that a duplicate key turns into no row rather than an error,
/// so a batch with a retried delivery in it still commits the rest. Works on SQLite and PostgreSQL alike.
/// </summary>
/// <remarks>
/// One command is prepared per connection and reused for every row: on SQLite that keeps the compiled statement,
/// which is most of the cost of an insert.
/// </remarks>
internal sealed class InboxInsert : IDisposable
{
    // Column names are EF's (see InboxItemMapping); the storage tests run this against both providers' migrations.
    private const string Sql = """
        INSERT INTO inbox ("Channel", "DeliveryKey", "DedupeKey", "Payload", "ReceivedAt", "Attempts", "NextAttemptAt", "State")
        VALUES (@channel, @delivery, @dedupe, @payload, @now, 0, @now, 'Pending')
        ON CONFLICT DO NOTHING
        RETURNING "Id"
        """;

    private readonly DbCommand _command;
    private readonly DbParameter _channel;
    private readonly DbParameter _delivery;
    private readonly DbParameter _dedupe;
    private readonly DbParameter _payload;
    private readonly DbParameter _now;

    public InboxInsert(DbConnection connection)
    {
        _command = connection.CreateCommand();
        _command.CommandText = Sql;
        _channel = Add("@channel");
        _delivery = Add("@delivery");
        _dedupe = Add("@dedupe");
        _payload = Add("@payload");
        _now = Add("@now");
    }

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

    /// <summary>Inserts <paramref name="item"/> inside <paramref name="transaction"/>; sets its id and state when it is new.</summary>
    public AcceptResult Write(InboxItem item, DateTime now, DbTransaction? transaction)
    {
        Bind(item, now, transaction);
        return Record(item, now, _command.ExecuteScalar());
    }

    /// <inheritdoc cref="Write"/>
    public async Task<AcceptResult> WriteAsync(InboxItem item, DateTime now, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        Bind(item, now, transaction);
        return Record(item, now, await _command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
    }

    public void Dispose() => _command.Dispose();

    private static AcceptResult Record(InboxItem item, DateTime now, object? id)
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

    private void Bind(InboxItem item, DateTime now, DbTransaction? transaction)
    {
        _command.Transaction = transaction;
        _channel.Value = item.Channel;
        _delivery.Value = item.DeliveryKey;
        _dedupe.Value = (object?)item.DedupeKey ?? DBNull.Value;
        _payload.Value = (object?)item.Payload ?? DBNull.Value;
        _now.Value = now;
    }

    private DbParameter Add(string name)
    {
        var parameter = _command.CreateParameter();
        parameter.ParameterName = name;
        _command.Parameters.Add(parameter);
        return parameter;
    }
}
