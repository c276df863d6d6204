namespace PipelineCoach.SalesforceSimulator.Generation;

internal static class NamePools
{
    public static readonly string[] FirstNames =
    [
        "Ava", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Keira", "Liam",
        "Maya", "Noah", "Olivia", "Pavel", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xenia",
        "Yusuf", "Zoe", "Amir", "Bianca", "Carlos", "Dana", "Erik", "Fatima",
    ];

    public static readonly string[] LastNames =
    [
        "Anders", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Kowalski",
        "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka", "Ueda", "Varga",
        "Weber", "Xu", "Yilmaz", "Zimmer", "Adler", "Berg", "Costa", "Diaz", "Eklund", "Ferreira",
    ];

    public static readonly string[] CompanyAdjectives =
    [
        "Acme", "Blue", "Bright", "Cedar", "Delta", "Evergreen", "First", "Global", "Harbor", "Iron", "Juniper",
        "Keystone", "Lumen", "Maple", "North", "Orbit", "Pioneer", "Quantum", "Red", "Summit", "True", "United",
        "Vertex", "West",
    ];

    public static readonly string[] CompanyNouns =
    [
        "Analytics", "Bank", "Logistics", "Foods", "Health", "Energy", "Robotics", "Media", "Retail", "Pharma",
        "Motors", "Telecom", "Insurance", "Airlines", "Textiles", "Software", "Materials", "Hotels",
    ];

    public static readonly string[] CompanySuffixes = ["Inc.", "Ltd.", "GmbH", "Group", "Corp.", "AG", "LLC", "plc"];

    public static readonly string[] Industries =
    [
        "Banking", "Retail", "Healthcare", "Energy", "Manufacturing", "Media", "Technology", "Transportation",
    ];

    public static readonly string[] Products =
    [
        "Platform Licence", "Analytics Add-on", "Renewal", "Expansion", "Services Package", "Pilot",
        "Enterprise Agreement", "Support Upgrade",
    ];

    public static readonly string[] OpportunityTypes = ["New Business", "Existing Business"];

    public static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    public static readonly string[] NextSteps =
    [
        "Demo for the IT team", "Security review call", "Send proposal draft", "Pricing workshop with procurement",
        "Reference call with a customer", "Executive alignment meeting", "Confirm budget with CFO",
        "Technical deep dive", "Legal review of the MSA", "Agree the mutual action plan",
    ];

    public static readonly string[] ContactTitles =
    [
        "CFO", "CIO", "VP Operations", "Head of Procurement", "IT Manager", "Director of Sales", "CEO", "Engineer",
    ];

    /// <summary>Standard OpportunityContactRole picklist values (reference §5).</summary>
    public static readonly string[] ContactRoles =
    [
        "Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Evaluator",
        "Executive Sponsor", "Influencer", "Technical Buyer", "Other",
    ];

    public static readonly string[] TaskSubjects = ["Call", "Email", "Meeting", "Follow up", "Send quote"];

    public static readonly string[] TaskTypes = ["Call", "Email", "Meeting", "Other"];

    public static readonly string[] TimeZones =
    [
        "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
        "Asia/Tokyo", "Australia/Sydney",
    ];

    /// <summary>Values of the qualification text fields, indexed by <c>QualificationFields</c> bit.</summary>
    public static readonly string[][] Qualification =
    [
        ["Regulatory reporting deadline", "Current contract ends", "Board-approved launch date", "Budget expires at fiscal year end", "Merger go-live", "Peak season starts"],
        [],
        ["Manual reporting costs three FTEs", "Churn up 4% year on year", "Order errors delay shipments", "Audit findings on data quality", "Sales cycle too long to forecast"],
        ["IT review, then CFO sign-off", "Steering committee decides monthly", "Procurement tender with three vendors", "Security review, then legal"],
        ["Time to value under 90 days", "Total cost over three years", "Integration with the ERP", "Data stays in the EU"],
        ["Cut reporting time by half", "Reduce churn by two points", "Save 400k a year", "Ship orders a day faster"],
        [],
        ["Do nothing", "Incumbent vendor", "In-house build", "Lower-cost competitor"],
    ];

    public static string AccountName(int index)
    {
        var combos = CompanyAdjectives.Length * CompanyNouns.Length * CompanySuffixes.Length;
        var adjective = CompanyAdjectives[index % CompanyAdjectives.Length];
        var noun = CompanyNouns[index / CompanyAdjectives.Length % CompanyNouns.Length];
        var suffix = CompanySuffixes[index / (CompanyAdjectives.Length * CompanyNouns.Length) % CompanySuffixes.Length];
        var round = index / combos;
        return round == 0 ? $"{adjective} {noun} {suffix}" : $"{adjective} {noun} {suffix} {round + 1}";
    }
}
