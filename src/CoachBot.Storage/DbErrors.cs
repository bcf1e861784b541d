using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoachBot.Storage;

/// <summary>
/// Constraint violations that the services expect and turn into answers: a unique key is how a race is decided
/// inside the database, and a missing parent row means the subscription went away meanwhile.
/// </summary>
internal static class DbErrors
{
    public static bool IsUniqueViolation(DbUpdateException e) => IsUniqueViolation(e.InnerException);

    public static bool IsUniqueViolation(Exception? e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is SQLitePCL.raw.SQLITE_CONSTRAINT_UNIQUE or SQLitePCL.raw.SQLITE_CONSTRAINT_PRIMARYKEY,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    public static bool IsForeignKeyViolation(Exception? e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT_FOREIGNKEY,
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };
}
