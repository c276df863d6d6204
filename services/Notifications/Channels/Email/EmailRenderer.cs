using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Channels.Email;

/// <summary>
/// Renders any <see cref="Notice"/> (a signal, a digest, a cadence agenda) as an email with the embedded Liquid
/// templates <c>Templates/notice.html.liquid</c> and <c>Templates/notice.text.liquid</c>, parsed once. Every value is
/// HTML-encoded in the HTML body; the text body is not encoded. A singleton: templates and options are thread-safe.
/// </summary>
internal sealed partial class EmailRenderer
{
    private static readonly CultureInfo Money = CultureInfo.GetCultureInfo("en-US");

    // Escapes what HTML needs escaped (<, >, &, quotes) but leaves letters of every script readable in the source.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly IFluidTemplate _html;
    private readonly IFluidTemplate _text;
    private readonly TemplateOptions _options;

    public EmailRenderer()
    {
        var parser = new FluidParser();
        _html = Parse(parser, "notice.html.liquid");
        _text = Parse(parser, "notice.text.liquid");
        _options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture };
        _options.MemberAccessStrategy.MemberNameStrategy = MemberNameStrategies.SnakeCase;
        _options.MemberAccessStrategy.Register<EmailView>();
        _options.MemberAccessStrategy.Register<EmailView.Deal>();
        _options.MemberAccessStrategy.Register<EmailView.Section>();
        _options.MemberAccessStrategy.Register<EmailView.Line>();
    }

    public RenderedEmail Render(Notice notice, string? recipientName)
    {
        var view = View(notice, recipientName);
        var html = _html.Render(new TemplateContext(view, _options), Html);
        var text = _text.Render(new TemplateContext(view, _options), NullEncoder.Default);
        return new RenderedEmail(OneLine(notice.Title), html, BlankLines().Replace(text, "\n\n").Trim() + "\n");
    }

    /// <summary><c>$120,000</c>: whole units of the org currency, written the US way.</summary>
    public static string FormatAmount(decimal amount) => amount.ToString("C0", Money);

    /// <summary>The opportunity's name, or <c>Opportunity {id}</c> when the directory did not know it.</summary>
    public static string? OpportunityLabel(string? name, string? id) =>
        !string.IsNullOrWhiteSpace(name) ? name : id is null ? null : $"Opportunity {id}";

    private static EmailView View(Notice notice, string? recipientName) => new()
    {
        Greeting = string.IsNullOrWhiteSpace(recipientName) ? null : $"Hi {recipientName.Trim()},",
        Label = Label(notice.Signal),
        Critical = notice.IsCritical,
        Title = notice.Title,
        Summary = notice.Summary,
        Opportunity = OpportunityLabel(notice.OpportunityName, notice.OpportunityId) is { } name
            ? new EmailView.Deal(name, notice.Amount is { } amount ? FormatAmount(amount) : null, notice.OwnerName)
            : null,
        Sections = notice.Sections
            .Select(s => new EmailView.Section(s.Title, s.Lines.Select(l => new EmailView.Line(l.Text, Detail(l))).ToList()))
            .ToList(),
        Why = Why(notice.Signal),
        OccurredAt = notice.OccurredAt.ToUniversalTime().ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture),
    };

    private static string? Detail(NoticeLine line)
    {
        string?[] parts = [OpportunityLabel(line.OpportunityName, line.OpportunityId), line.Amount is { } a ? FormatAmount(a) : null, line.OwnerName];
        var known = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return known.Count == 0 ? null : string.Join(" · ", known);
    }

    private static string Label(string signal) => signal switch
    {
        Signals.OpportunityRisk => "Opportunity risk",
        Signals.Escalation => "Escalation",
        Signals.PipelineHealth => "Pipeline health",
        Signals.CadenceDue => "Cadence due",
        Signals.CadenceMissed => "Cadence missed",
        Signals.Digest => "Digest",
        _ => "Notification",
    };

    // Said of the signal, not of the recipient's relation to it: an extra subscriber gets the same notice as the owner.
    private static string? Why(string signal) => signal switch
    {
        Signals.OpportunityRisk => "a risk was raised on an opportunity you own or follow.",
        Signals.Escalation => "a risk on your team is still open after its escalation window.",
        Signals.PipelineHealth => "pipeline health changed for you or a team you follow.",
        Signals.CadenceDue => "a cadence you take part in or follow is due.",
        Signals.CadenceMissed => "a cadence on your team was missed.",
        Signals.Digest => "your notification preferences collect notifications into a digest.",
        _ => null,
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IFluidTemplate Parse(FluidParser parser, string name)
    {
        using var stream = typeof(EmailRenderer).Assembly.GetManifestResourceStream($"{typeof(EmailRenderer).Namespace}.Templates.{name}")
            ?? throw new InvalidOperationException($"The email template {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return parser.TryParse(reader.ReadToEnd(), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The email template {name} does not parse: {error}");
    }

    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*)+\n")]
    private static partial Regex BlankLines();
}
