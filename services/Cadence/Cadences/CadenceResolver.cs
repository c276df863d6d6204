using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PipelineCoach.ServiceDefaults.Http;

namespace PipelineCoach.Cadence.Cadences;

/// <summary>
/// Turns a posted cadence into the one stored: the body read bounded, validated as given, the template's defaults
/// applied, and validated again as resolved. Any refusal is a problem to answer, with nothing stored.
/// </summary>
internal sealed class CadenceResolver(CadenceTemplates templates, IValidator<CadenceDefinition> requestValidator, ResolvedCadenceValidator resolvedValidator)
{
    public async Task<(CadenceDefinition? Definition, ProblemHttpResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (posted, refusal) = await JsonRequestBody.ReadAsync<CadenceDefinition>(request, cancellationToken, CadenceJson.Default.Options);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var given = await requestValidator.ValidateAsync(posted!, cancellationToken);
        if (!given.IsValid)
        {
            return (null, JsonRequestBody.Invalid(given.Errors));
        }

        var resolved = templates.ApplyDefaults(posted!);
        var result = await resolvedValidator.ValidateAsync(resolved, cancellationToken);
        return result.IsValid ? (resolved, null) : (null, JsonRequestBody.Invalid(result.Errors));
    }
}
