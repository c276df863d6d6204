using PipelineCoach.Notifications.Channels.Email;
using PipelineCoach.Notifications.Deliveries;
using PipelineCoach.Notifications.Routing;

namespace PipelineCoach.Notifications.Tests.Email;

public sealed class When_a_notice_is_rendered_as_email
{
    // Set to 1 to rewrite the documented examples from the renderer (then review the diff, and retake the screenshots).
    private const string UpdateDocsVariable = "PIPELINECOACH_UPDATE_EMAIL_DOCS";

    private static readonly EmailRenderer Renderer = new();

    [Test]
    public void Should_use_the_title_as_the_subject()
    {
        var email = Renderer.Render(SampleNotices.Risk, "Riley Rep");

        Assert.That(email.Subject, Is.EqualTo("Acme renewal is at risk: slipping"));
    }

    [Test]
    public void Should_show_title_summary_deal_and_every_section_line_in_both_bodies()
    {
        var email = Renderer.Render(SampleNotices.Risk, "Riley Rep");

        string[] expected =
        [
            "Hi Riley Rep,", "Acme renewal is at risk: slipping", "no next step for two weeks", "Acme renewal", "$120,000", "Riley Rep",
            "What changed", "Close date pushed out a third time, to 15 Jan 2027", "No next step recorded for 14 days", "Grade dropped from B to D",
            "What is missing now", "What happens next, and when? Agree a dated next step with the customer.", "Who signs? No economic buyer is named yet.",
            "Why you got this: a risk was raised on an opportunity you own or follow.",
        ];
        Assert.Multiple(() =>
        {
            foreach (var text in expected)
            {
                Assert.That(email.Html, Does.Contain(text), "HTML");
                Assert.That(email.Text, Does.Contain(text), "text");
            }
        });
    }

    [Test]
    public void Should_lay_out_the_text_body_as_readable_plain_text()
    {
        var email = Renderer.Render(SampleNotices.Risk, "Riley Rep");

        Assert.That(email.Text, Is.EqualTo("""
            Hi Riley Rep,

            Acme renewal is at risk: slipping

            The close date moved out again and the deal has had no next step for two weeks.

            Acme renewal · $120,000 · Riley Rep

            What changed
            - Close date pushed out a third time, to 15 Jan 2027
            - No next step recorded for 14 days
            - Grade dropped from B to D

            What is missing now
            - What happens next, and when? Agree a dated next step with the customer.
            - Who signs? No economic buyer is named yet.

            --
            Why you got this: a risk was raised on an opportunity you own or follow.
            Pipeline Coach · Opportunity risk · 1 Dec 2026, 14:05 UTC

            """));
    }

    [Test]
    public void Should_show_each_digest_opportunity_with_its_amount_and_owner()
    {
        var email = Renderer.Render(SampleNotices.Digest, null);

        Assert.Multiple(() =>
        {
            Assert.That(email.Subject, Is.EqualTo("Your Pipeline Coach digest: 3 opportunities"));
            Assert.That(email.Text, Does.Contain("Globex expansion\n- Discount of 25% asked, above the 15% guideline\n  Globex expansion · $340,000 · Riley Rep"));
            Assert.That(email.Html, Does.Contain("Globex expansion · $340,000 · Riley Rep"));
            Assert.That(email.Html, Does.Contain("Opportunity 0065g00000InitAAA · $45,500"));
            Assert.That(email.Text, Does.Not.Contain("Hi "), "no greeting without a name");
        });
    }

    [Test]
    public void Should_escape_html_in_every_value()
    {
        var notice = SampleNotices.Risk with
        {
            Title = "Risk on <b>Bold</b> & \"Quoted\"",
            OpportunityName = "Acme <script>alert('x')</script> & Sons",
            Sections = [new NoticeSection { Title = "<i>Changes</i>", Lines = [new NoticeLine { Text = "<img src=x onerror=alert(1)>" }] }],
        };

        var email = Renderer.Render(notice, "<Riley>");

        Assert.Multiple(() =>
        {
            Assert.That(email.Html, Does.Contain("Acme &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Sons"));
            Assert.That(email.Html, Does.Contain("Risk on &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Quoted&quot;"));
            Assert.That(email.Html, Does.Contain("&lt;i&gt;Changes&lt;/i&gt;"));
            Assert.That(email.Html, Does.Contain("Hi &lt;Riley&gt;,"));
            Assert.That(email.Html, Does.Not.Contain("<script>").And.Not.Contain("<img").And.Not.Contain("<b>Bold").And.Not.Contain("<i>"));
            Assert.That(email.Text, Does.Contain("Acme <script>alert('x')</script> & Sons"), "the text body is plain text, not encoded");
        });
    }

    [Test]
    public void Should_name_an_opportunity_by_its_id_when_its_name_is_unknown()
    {
        var notice = SampleNotices.Risk with { OpportunityName = null };

        var email = Renderer.Render(notice, null);

        Assert.Multiple(() =>
        {
            Assert.That(email.Html, Does.Contain("Opportunity 0065g00000AcmeRAAV"));
            Assert.That(email.Text, Does.Contain("Opportunity 0065g00000AcmeRAAV · $120,000 · Riley Rep"));
        });
    }

    [Test]
    public void Should_show_no_deal_for_a_notice_about_no_opportunity()
    {
        var notice = new Notice
        {
            Signal = Signals.CadenceDue,
            BusinessKey = "cadence-due:c1:2026-12-01",
            Title = "Weekly pipeline review is due",
            OccurredAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            Sections = [new NoticeSection { Title = "Early-stage deals", Lines = [new NoticeLine { Text = "Missing a decision maker", OpportunityName = "Initech pilot", Amount = 1_250_000.4m }] }],
        };

        var email = Renderer.Render(notice, "Morgan Manager");

        Assert.Multiple(() =>
        {
            Assert.That(email.Html, Does.Not.Contain("Owner:"));
            Assert.That(email.Text, Does.Contain("Weekly pipeline review is due\n\nEarly-stage deals\n- Missing a decision maker\n  Initech pilot · $1,250,000\n"));
        });
    }

    [Test]
    public void Should_mark_a_critical_notice_urgent_and_only_that()
    {
        var critical = Renderer.Render(SampleNotices.Risk with { IsCritical = true }, null);
        var usual = Renderer.Render(SampleNotices.Risk, null);

        Assert.Multiple(() =>
        {
            Assert.That(critical.Text, Does.StartWith("[Urgent] Acme renewal is at risk: slipping\n"));
            Assert.That(critical.Html, Does.Contain("&nbsp;·&nbsp;Urgent"));
            Assert.That(usual.Text + usual.Html, Does.Not.Contain("Urgent"));
        });
    }

    [Test]
    public void Should_put_a_multi_line_title_on_one_subject_line()
    {
        var email = Renderer.Render(SampleNotices.Risk with { Title = "Acme renewal\r\nis at risk" }, null);

        Assert.That(email.Subject, Is.EqualTo("Acme renewal is at risk"));
    }

    [TestCase("email-risk.html", nameof(SampleNotices.Risk))]
    [TestCase("email-digest.html", nameof(SampleNotices.Digest))]
    public void Should_match_the_sample_in_the_docs(string file, string sample)
    {
        var notice = sample == nameof(SampleNotices.Risk) ? SampleNotices.Risk : SampleNotices.Digest;
        var path = Path.Combine(RepositoryRoot(), "docs", "notifications", file);

        var email = Renderer.Render(notice, "Riley Rep");
        if (Environment.GetEnvironmentVariable(UpdateDocsVariable) == "1")
        {
            File.WriteAllText(path, email.Html);
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(email.Html),
            $"{path} is out of date: run the tests with {UpdateDocsVariable}=1 to write the rendered HTML of SampleNotices.{sample} to it");
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Services.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("Services.sln not found above " + AppContext.BaseDirectory);
    }
}
