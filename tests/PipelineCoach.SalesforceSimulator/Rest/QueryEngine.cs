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

    private static bool Equal(in FieldValue a, in FieldValue b) =>
        a.IsNull || b.IsNull ? a.IsNull && b.IsNull : FieldValue.Compare(a, b) == 0;

    private static void Sort(SObjectTable table, int[] rows, IReadOnlyList<SoqlOrder> order)
    {
        if (order.Count == 0 || rows.Length < 2)
        {
            return;
        }

        var first = order[0];
        if (order.Count == 1 && first.Field.Type is FieldType.DateTime or FieldType.Date or FieldType.Integer or FieldType.Id)
        {
            // Fast path for the sync's "ORDER BY SystemModstamp": sort precomputed keys, ties by row number.
            var keys = new (long Key, int Row)[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var v = table.Get(rows[i], first.Field);
                var key = v.IsNull ? (first.NullsLast ? long.MaxValue : long.MinValue) : v.Int;
                keys[i] = (first.Descending && !v.IsNull ? -key : key, rows[i]);
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
