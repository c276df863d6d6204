using System.Globalization;
using PipelineCoach.SalesforceSimulator.Generation;
using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Rest;

internal enum SoqlOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    NotIn,
}

internal sealed record SoqlCondition(FieldDef Field, SoqlOperator Operator, IReadOnlyList<FieldValue> Values);

internal sealed record SoqlOrder(FieldDef Field, bool Descending, bool NullsLast);

internal sealed record SoqlQuery(
    SObjectTable Table,
    IReadOnlyList<FieldDef> Select,
    IReadOnlyList<SoqlCondition> Where,
    IReadOnlyList<SoqlOrder> OrderBy,
    int? Limit);

internal sealed class SoqlException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>
/// The SOQL subset the suite needs: a plain select list, <c>WHERE</c> comparisons joined by <c>AND</c> (including
/// <c>IN</c>/<c>NOT IN</c>), <c>ORDER BY</c> and <c>LIMIT</c>. Anything else is <c>MALFORMED_QUERY</c>.
/// </summary>
internal static class SoqlParser
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "OR", "GROUP", "HAVING", "OFFSET", "WITH", "FOR", "TYPEOF", "USING", "LIKE", "INCLUDES", "EXCLUDES", "COUNT",
    };

    public static SoqlQuery Parse(string soql, SalesforceOrg org)
    {
        var tokens = Tokenize(soql);
        var pos = 0;
        Expect(tokens, ref pos, "SELECT");
        var selectNames = new List<string>();
        do
        {
            var name = Identifier(tokens, ref pos);
            if (Peek(tokens, pos) == "(" || name.Contains('.', StringComparison.Ordinal))
            {
                throw Malformed($"unsupported expression near '{name}'");
            }

            selectNames.Add(name);
        }
        while (TryTake(tokens, ref pos, ","));

        Expect(tokens, ref pos, "FROM");
        var objectName = Identifier(tokens, ref pos);
        var table = org.FindTable(objectName)
            ?? throw new SoqlException("INVALID_TYPE", $"sObject type '{objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.");
        var select = selectNames.Select(n => ResolveField(table, n)).DistinctBy(f => f.Index).ToList();

        var where = new List<SoqlCondition>();
        if (TryTake(tokens, ref pos, "WHERE"))
        {
            do
            {
                where.Add(Condition(tokens, ref pos, table));
            }
            while (TryTake(tokens, ref pos, "AND"));
        }

        var order = new List<SoqlOrder>();
        if (TryTake(tokens, ref pos, "ORDER"))
        {
            Expect(tokens, ref pos, "BY");
            do
            {
                var field = ResolveField(table, Identifier(tokens, ref pos));
                var descending = TryTake(tokens, ref pos, "DESC");
                if (!descending)
                {
                    TryTake(tokens, ref pos, "ASC");
                }

                // SOQL sorts nulls first ascending and last descending unless told otherwise.
                var nullsLast = descending;
                if (TryTake(tokens, ref pos, "NULLS"))
                {
                    nullsLast = TryTake(tokens, ref pos, "LAST");
                    if (!nullsLast)
                    {
                        Expect(tokens, ref pos, "FIRST");
                    }
                }

                order.Add(new SoqlOrder(field, descending, nullsLast));
            }
            while (TryTake(tokens, ref pos, ","));
        }

        int? limit = null;
        if (TryTake(tokens, ref pos, "LIMIT"))
        {
            var text = Next(tokens, ref pos);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw Malformed($"unexpected token: '{text}'");
            }

            limit = n;
        }

        if (pos < tokens.Count)
        {
            throw Malformed($"unexpected token: '{tokens[pos]}'");
        }

        return new SoqlQuery(table, select, where, order, limit);
    }

    private static FieldDef ResolveField(SObjectTable table, string name) =>
        table.FindField(name) ?? throw new SoqlException(
            "INVALID_FIELD",
            $"No such column '{name}' on entity '{table.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");

    private static SoqlCondition Condition(List<string> tokens, ref int pos, SObjectTable table)
    {
        if (Peek(tokens, pos) is "(" or "NOT")
        {
            throw Malformed($"unexpected token: '{tokens[pos]}'");
        }

        var field = ResolveField(table, Identifier(tokens, ref pos));
        var op = Next(tokens, ref pos).ToUpperInvariant() switch
        {
            "=" => SoqlOperator.Equal,
            "!=" or "<>" => SoqlOperator.NotEqual,
            "<" => SoqlOperator.Less,
            "<=" => SoqlOperator.LessOrEqual,
            ">" => SoqlOperator.Greater,
            ">=" => SoqlOperator.GreaterOrEqual,
            "IN" => SoqlOperator.In,
            "NOT" when TryTake(tokens, ref pos, "IN") => SoqlOperator.NotIn,
            var other => throw Malformed($"unexpected token: '{other}'"),
        };

        var values = new List<FieldValue>();
        if (op is SoqlOperator.In or SoqlOperator.NotIn)
        {
            Expect(tokens, ref pos, "(");
            do
            {
                values.Add(Literal(Next(tokens, ref pos), field));
            }
            while (TryTake(tokens, ref pos, ","));
            Expect(tokens, ref pos, ")");
        }
        else
        {
            values.Add(Literal(Next(tokens, ref pos), field));
        }

        return new SoqlCondition(field, op, values);
    }

    private static FieldValue Literal(string token, FieldDef field)
    {
        if (token.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return FieldValue.Null;
        }

        var quoted = token.Length >= 2 && token[0] == '\'' && token[^1] == '\'';
        var text = quoted ? token[1..^1].Replace("\\'", "'", StringComparison.Ordinal) : token;
        switch (field.Type)
        {
            case FieldType.Id or FieldType.Reference when quoted:
                if (!SalesforceIds.LooksLikeId(text))
                {
                    throw new SoqlException("INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {text}");
                }

                // Ids the simulator never minted simply match nothing.
                return SalesforceIds.TryParse(text, out var prefix, out var number)
                    ? FieldValue.OfId(prefix, number)
                    : new FieldValue(FieldKind.Id, -1, 0, "???");
            case FieldType.String or FieldType.Picklist or FieldType.TextArea when quoted:
                return FieldValue.Of(text);
            case FieldType.Boolean when !quoted && bool.TryParse(text, out var b):
                return FieldValue.Of(b);
            case FieldType.Integer or FieldType.Double or FieldType.Currency or FieldType.Percent
                when !quoted && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return FieldValue.OfDouble(d);
            case FieldType.Date when !quoted && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                return FieldValue.OfDate(date);
            case FieldType.DateTime when !quoted && text.Contains('T', StringComparison.Ordinal)
                && SalesforceFormats.TryParseDateTime(text, out var dt):
                return FieldValue.OfDateTime(dt);
            default:
                throw new SoqlException(
                    "INVALID_FIELD",
                    $"value of filter criterion for field '{field.Name}' must be of type {field.Type.ToString().ToLowerInvariant()} and should not be enclosed in quotes" + (quoted ? string.Empty : $": {text}"));
        }
    }

    private static List<string> Tokenize(string soql)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var start = i++;
                while (i < soql.Length && (soql[i] != '\'' || soql[i - 1] == '\\'))
                {
                    i++;
                }

                if (i >= soql.Length)
                {
                    throw Malformed("unterminated string literal");
                }

                tokens.Add(soql[start..++i]);
            }
            else if (c is ',' or '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '=' or '<' or '>' or '!')
            {
                var two = i + 1 < soql.Length ? soql.Substring(i, 2) : null;
                if (two is "<=" or ">=" or "!=" or "<>")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else if (c == '!')
                {
                    throw Malformed("unexpected token: '!'");
                }
                else
                {
                    tokens.Add(c.ToString());
                    i++;
                }
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or ':' or '+' or '-')
            {
                var start = i;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '_' or '.' or ':' or '+' or '-'))
                {
                    i++;
                }

                var word = soql[start..i];
                if (Unsupported.Contains(word) || word.Contains(':', StringComparison.Ordinal) && !char.IsDigit(word[0]))
                {
                    throw Malformed($"unexpected token: '{word}'");
                }

                tokens.Add(word);
            }
            else
            {
                throw Malformed($"unexpected token: '{c}'");
            }
        }

        return tokens;
    }

    private static SoqlException Malformed(string detail) => new("MALFORMED_QUERY", detail);

    private static string? Peek(List<string> tokens, int pos) => pos < tokens.Count ? tokens[pos].ToUpperInvariant() : null;

    private static string Next(List<string> tokens, ref int pos) =>
        pos < tokens.Count ? tokens[pos++] : throw Malformed("unexpected end of query");

    private static bool TryTake(List<string> tokens, ref int pos, string keyword)
    {
        if (pos < tokens.Count && tokens[pos].Equals(keyword, StringComparison.OrdinalIgnoreCase))
        {
            pos++;
            return true;
        }

        return false;
    }

    private static bool Expect(List<string> tokens, ref int pos, string keyword) =>
        TryTake(tokens, ref pos, keyword) ? true : throw Malformed($"unexpected token: '{(pos < tokens.Count ? tokens[pos] : "<end>")}', expected {keyword}");

    private static string Identifier(List<string> tokens, ref int pos)
    {
        var token = Next(tokens, ref pos);
        return token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_')
            ? token
            : throw Malformed($"unexpected token: '{token}'");
    }
}
