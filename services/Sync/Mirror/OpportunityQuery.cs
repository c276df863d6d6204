using System.Globalization;
using System.Text;
using FluentValidation;
using PipelineCoach.Sync.Salesforce;

namespace PipelineCoach.Sync.Mirror;

/// <summary>Filters and paging of <c>GET /api/v1/opportunities</c>.</summary>
public sealed record OpportunityQuery(string? OwnerId, string? Stage, DateTimeOffset? ModifiedSince, string? Cursor, int? Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public int PageSize => Limit ?? DefaultLimit;
}

/// <summary>Opaque keyset cursor: the (source version, id) of the last item returned.</summary>
public static class OpportunityCursor
{
    public static string Encode(DateTimeOffset version, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{version.UtcTicks}:{id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out DateTimeOffset version, out string id)
    {
        version = default;
        id = "";
        if (string.IsNullOrEmpty(cursor))
        {
            return false;
        }

        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/').PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks is >= 0 and <= 3155378975999999999 && SalesforceId.TryNormalize(parts[1], out id))
            {
                version = new DateTimeOffset(ticks, TimeSpan.Zero);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

public sealed class OpportunityQueryValidator : AbstractValidator<OpportunityQuery>
{
    public OpportunityQueryValidator()
    {
        RuleFor(q => q.OwnerId).Must(id => SalesforceId.TryNormalize(id, out _))
            .When(q => q.OwnerId is not null).WithMessage("'ownerId' must be a 15- or 18-character Salesforce user id.");
        RuleFor(q => q.Stage).MaximumLength(255);
        RuleFor(q => q.Limit).InclusiveBetween(1, OpportunityQuery.MaxLimit);
        RuleFor(q => q.Cursor).Must(c => OpportunityCursor.TryDecode(c, out _, out _))
            .When(q => q.Cursor is not null).WithMessage("'cursor' is not a cursor this API returned.");
    }
}
