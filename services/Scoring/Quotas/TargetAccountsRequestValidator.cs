using FluentValidation;

namespace PipelineCoach.Scoring.Quotas;

internal sealed class TargetAccountsRequestValidator : AbstractValidator<TargetAccountsRequest>
{
    public const int MaxAccounts = 50;

    public TargetAccountsRequestValidator()
    {
        RuleFor(r => r.Accounts).NotNull().Must(a => a is null || a.Count <= MaxAccounts)
            .WithMessage($"A target account list holds at most {MaxAccounts} accounts.").OverridePropertyName("accounts");
        RuleForEach(r => r.Accounts).ChildRules(account =>
            account.RuleFor(a => a.AccountId).NotEmpty().Length(18).WithMessage("Use the 18-character account id.").OverridePropertyName("accountId"))
            .OverridePropertyName("accounts");
        RuleFor(r => r.Accounts).Must(a => a is null || a.Select(x => x.AccountId).Distinct().Count() == a.Count)
            .WithMessage("An account is listed twice.").OverridePropertyName("accounts");
    }
}
