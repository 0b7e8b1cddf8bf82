using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Grains.Persistence;

/// <summary>
/// One column of a batch of rows as one array parameter, for the hand-written <c>INSERT … SELECT FROM unnest(…)</c>
/// statements of the hot paths: one statement for the whole batch, prepared once per connection.
/// </summary>
public static class ArrayParameter
{
    public static NpgsqlParameter<T[]> Column<TRow, T>(IReadOnlyList<TRow> rows, NpgsqlDbType type, Func<TRow, T> value)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return new NpgsqlParameter<T[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }
}
