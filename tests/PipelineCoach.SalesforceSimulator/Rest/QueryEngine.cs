using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Rest;

/// <summary>Runs a parsed query to the ordered list of matching row numbers (a cursor snapshot).</summary>
internal static class QueryEngine
{
    public static int[] Execute(SalesforceOrg org, SoqlQuery query, bool includeDeleted, CancellationToken cancellationToken = default)
    {
        var table = query.Table;
        var matches = new List<int>();
        lock (org.Sync)
        {
            foreach (var row in Candidates(table, query))
            {
                if ((row & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if ((includeDeleted || !table.IsRowDeleted(row)) && Matches(table, row, query.Where))
                {
                    matches.Add(row);
                }
            }

            var rows = matches.ToArray();
            Sort(table, rows, query.OrderBy);
            return query.Limit is { } limit && limit < rows.Length ? rows[..limit] : rows;
        }
    }

    private static IEnumerable<int> Candidates(SObjectTable table, SoqlQuery query)
    {
        var byId = query.Where.FirstOrDefault(c => c.Field.Index == 0 && c.Operator is SoqlOperator.Equal or SoqlOperator.In);
        if (byId is null)
        {
            return Enumerable.Range(0, table.Count);
        }

        return byId.Values
            .Where(v => v.Kind == FieldKind.Id && v.Text == table.KeyPrefix && v.Int < table.Count)
            .Select(v => (int)v.Int)
            .Distinct()
            .Order();
    }

    private static bool Matches(SObjectTable table, int row, IReadOnlyList<SoqlCondition> where)
    {
        foreach (var condition in where)
        {
            var value = table.Get(row, condition.Field);
            var ok = condition.Operator switch
            {
                SoqlOperator.In => condition.Values.Any(v => Equal(value, v)),
                SoqlOperator.NotIn => !condition.Values.Any(v => Equal(value, v)),
                SoqlOperator.Equal => Equal(value, condition.Values[0]),
                SoqlOperator.NotEqual => !Equal(value, condition.Values[0]),
                _ when value.IsNull || condition.Values[0].IsNull => false,
                SoqlOperator.Less => FieldValue.Compare(value, condition.Values[0]) < 0,
                SoqlOperator.LessOrEqual => FieldValue.Compare(value, condition.Values[0]) <= 0,
                SoqlOperator.Greater => FieldValue.Compare(value, condition.Values[0]) > 0,
                _ => FieldValue.Compare(value, condition.Values[0]) >= 0,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static long Key(SObjectTable table, int row, SoqlOrder order)
    {
        var v = table.Get(row, order.Field);
        if (v.IsNull)
        {
            return order.NullsLast ? long.MaxValue : long.MinValue;
        }

        return order.Descending ? -v.Int : v.Int;
    }

    private static bool Equal(in FieldValue a, in FieldValue b) =>
        a.IsNull || b.IsNull ? a.IsNull && b.IsNull : FieldValue.Compare(a, b) == 0;

    private static void Sort(SObjectTable table, int[] rows, IReadOnlyList<SoqlOrder> order)
    {
        if (order.Count == 0 || rows.Length < 2)
        {
            return;
        }

        if (order.Count <= 2 && order.All(o => o.Field.Type is FieldType.DateTime or FieldType.Date or FieldType.Integer or FieldType.Id))
        {
            // Fast path for the sync's "ORDER BY SystemModstamp, Id": sort precomputed keys, ties by row number.
            var keys = new (long First, long Second, int Row)[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                keys[i] = (Key(table, rows[i], order[0]), order.Count > 1 ? Key(table, rows[i], order[1]) : 0, rows[i]);
            }

            Array.Sort(keys);
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = keys[i].Row;
            }

            return;
        }

        Array.Sort(rows, (a, b) =>
        {
            foreach (var o in order)
            {
                var va = table.Get(a, o.Field);
                var vb = table.Get(b, o.Field);
                int c;
                if (va.IsNull || vb.IsNull)
                {
                    c = va.IsNull == vb.IsNull ? 0 : (va.IsNull ^ o.NullsLast ? -1 : 1);
                }
                else
                {
                    c = FieldValue.Compare(va, vb) * (o.Descending ? -1 : 1);
                }

                if (c != 0)
                {
                    return c;
                }
            }

            return a.CompareTo(b);
        });
    }
}
