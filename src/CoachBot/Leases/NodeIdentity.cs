using System.Text.RegularExpressions;
using CoachBot.Storage;

namespace CoachBot.Leases;

/// <summary>
/// Who holds a lease: <see cref="Worker"/>, this process, is <see cref="Node"/> plus the process id. The node
/// outlives a restart, so a restarted node knows that leases held by its earlier processes are dead and takes their
/// work back at once (see <see cref="LeaseHeartbeat"/>) instead of waiting for the leases to run out.
/// </summary>
/// <remarks>
/// The node is <c>Inbox:NodeId</c> when set (a StatefulSet pod name, say; each running replica needs its own), else
/// an id kept in <c>node-id</c> in the data folder (<c>Storage:DataDirectory</c>, also on PostgreSQL), created on
/// first start. The file stays locked while the process runs, so a second process on the same folder cannot share the
/// node: it gets a fresh id of its own, as does a process whose folder is not writable (a container without a volume),
/// and then only the short leases bring its work back after a crash.
/// </remarks>
internal sealed partial class NodeIdentity : IDisposable
{
    public const string NodeIdKey = "Inbox:NodeId";
    private const string FileName = "node-id";

    private readonly FileStream? _lock;

    private NodeIdentity(string node, FileStream? held)
    {
        Node = node;
        _lock = held;
        Worker = $"{node}:{Environment.ProcessId}";
    }

    /// <summary>This node: the same before and after a restart.</summary>
    public string Node { get; }

    /// <summary>This process: the owner written on every lease it takes.</summary>
    public string Worker { get; }

    /// <summary>The prefix of every lease owner of this node, this process's and its dead predecessors'.</summary>
    public string OwnerPrefix => Node + ":";

    /// <summary>True when the node id is the same across restarts, so dead leases can be recognised at start-up.</summary>
    public bool Lasting { get; private init; }

    /// <summary>The problem with <c>Inbox:NodeId</c>, naming the setting, or null.</summary>
    public static string? Problem(IConfiguration configuration) =>
        configuration[NodeIdKey] is { } id && !ValidId().IsMatch(id)
            ? $"{NodeIdKey} must be 1 to 64 letters, digits, dots, dashes or underscores, unique to each running replica."
            : null;

    public static NodeIdentity Create(IConfiguration configuration, ILogger logger)
    {
        if (configuration[NodeIdKey] is { Length: > 0 } configured)
        {
            return new NodeIdentity(configured, null) { Lasting = true };
        }

        var folder = configuration[StorageOptions.DataDirectoryKey] is { Length: > 0 } set
            ? Path.GetFullPath(set)
            : StorageOptions.FromConfiguration(configuration).DataDirectory;
        if (folder is not null)
        {
            try
            {
                Directory.CreateDirectory(folder);
                var file = new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    var stored = new StreamReader(file, leaveOpen: true).ReadToEnd().Trim();
                    if (!ValidId().IsMatch(stored))
                    {
                        stored = NewId();
                        file.SetLength(0);
                        using (var writer = new StreamWriter(file, leaveOpen: true))
                        {
                            writer.Write(stored);
                        }

                        file.Flush(flushToDisk: true);
                    }

                    return new NodeIdentity(stored, file) { Lasting = true };
                }
                catch
                {
                    file.Dispose();
                    throw;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Locked by another process on the same folder, or not writable.
                LogNoLastingId(logger, ex.GetType().Name);
            }
        }

        return new NodeIdentity(NewId(), null);
    }

    public void Dispose() => _lock?.Dispose();

    private static string NewId() => "n" + Guid.NewGuid().ToString("N")[..16];

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No lasting node id ({Error}): after a crash this process's work is taken back when its leases run out, not at once. Set Inbox:NodeId or a writable Storage:DataDirectory")]
    private static partial void LogNoLastingId(ILogger logger, string error);
}
