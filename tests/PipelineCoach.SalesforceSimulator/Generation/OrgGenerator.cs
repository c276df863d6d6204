using PipelineCoach.SalesforceSimulator.Org;

namespace PipelineCoach.SalesforceSimulator.Generation;

/// <summary>
/// Builds a <see cref="SalesforceOrg"/> from a seed. Rows are appended into compact struct arrays; each
/// background opportunity draws from its own random stream, so the result does not depend on generation order.
/// </summary>
public static partial class OrgGenerator
{
    public const int ContactsPerAccount = 4;

    public static SalesforceOrg Generate(OrgGeneratorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var asOf = options.AsOf ?? DateOnly.FromDateTime((timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        return new Builder(options, asOf).Build();
    }

    internal static long DayMs(int dayNumber) =>
        ((long)dayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000L;

    private enum EventKind : byte
    {
        Stage,
        Push,
        Amount,
    }

    private readonly record struct DealEvent(long AtMs, EventKind Kind, int Value, double Amount);

    private readonly record struct RoleSpec(int Contact, byte Role, bool IsPrimary, long CreatedMs);

    private readonly record struct TaskSpec(int Day, bool Closed, int Contact, byte Subject, long CreatedMs);

    /// <summary>Everything about one opportunity except its child rows, which sit in the builder's buffers.</summary>
    private struct Draft
    {
        public int Owner;
        public int Account;
        public long CreatedMs;
        public double Amount;
        public int InitialCloseDay;
        public byte Product;
        public byte Type;
        public byte LeadSource;
        public byte NextStepText;
        public int NextStepDay;
        public int CompellingDay;
        public int ExecutiveSponsor;
        public float Discount;
        public byte Qualification;
        public long ModstampMs;
    }

    private sealed partial class Builder
    {
        private static readonly int[] OpenStageWeights = [20, 16, 14, 12, 10, 8, 10, 10];
        private static readonly int[] RoleCountWeights = [8, 22, 25, 22, 23];
        private static readonly int[] PushWeights = [70, 20, 8, 2];

        private readonly OrgGeneratorOptions options;
        private readonly int asOfDay;
        private readonly long asOfMs;
        private readonly string organizationId;
        private readonly List<UserRecord> users = [];
        private readonly List<UserRoleRecord> roles = [];
        private readonly List<int> backgroundReps = [];
        private readonly RowList<AccountRow> accounts;
        private readonly RowList<ContactRow> contacts;
        private readonly RowList<OpportunityRow> opportunities;
        private readonly RowList<HistoryRow> history;
        private readonly RowList<FieldHistoryRow> fieldHistory = new(64);
        private readonly RowList<ContactRoleRow> contactRoles;
        private readonly RowList<TaskRow> tasks;
        private readonly List<DealEvent> events = [];
        private readonly List<RoleSpec> roleBuffer = [];
        private readonly List<TaskSpec> taskBuffer = [];
        private readonly Dictionary<int, decimal> quotas = [];
        private int accountsPerRep;

        public Builder(OrgGeneratorOptions options, DateOnly asOf)
        {
            this.options = options;
            asOfDay = asOf.DayNumber;
            asOfMs = DayMs(asOfDay);
            organizationId = SalesforceIds.Create(SalesforceIds.Organization, (uint)options.Seed % 1_000_000);
            var n = Math.Max(0, options.Opportunities);
            accounts = new RowList<AccountRow>((n / 4) + 64);
            contacts = new RowList<ContactRow>(((n / 4) + 64) * ContactsPerAccount);
            opportunities = new RowList<OpportunityRow>(n + 128);
            history = new RowList<HistoryRow>((int)Math.Min(int.MaxValue / 2, (n * 5L) + 512));
            contactRoles = new RowList<ContactRoleRow>((n * 3) + 256);
            tasks = new RowList<TaskRow>((n * 3) + 512);
        }

        public SalesforceOrg Build()
        {
            var n = Math.Max(0, options.Opportunities);
            var repCount = options.Reps ?? Math.Clamp(n / 250, 3, 4_000);
            BuildUsers(repCount);
            accountsPerRep = Math.Max(2, (int)Math.Ceiling(n / (double)repCount / 4));
            foreach (var rep in backgroundReps)
            {
                for (var k = 0; k < accountsPerRep; k++)
                {
                    AddAccount(rep, Rng.For(options.Seed, -1 - accounts.Count));
                }
            }

            for (var i = 0; i < n; i++)
            {
                AddBackgroundOpportunity(i);
            }

            var planted = options.PlantProblems ? PlantTeam() : null;
            var truth = BuildGroundTruth(planted);
            return new SalesforceOrg(organizationId, options.Seed, DateOnly.FromDayNumber(asOfDay), users, roles,
                accounts, contacts, opportunities, history, fieldHistory, contactRoles, tasks, truth);
        }

        private void BuildUsers(int repCount)
        {
            var created = asOfMs - (800L * 86_400_000L);
            AddUser("Integration", "User", "Integration User", -1, -1, created, apiOnly: true);
            roles.Add(new UserRoleRecord(0, "VP Sales", -1));
            var vp = AddUser(null, null, "VP Sales", 0, -1, created);
            var teams = (int)Math.Ceiling(repCount / 8.0);
            var managerOfTeam = new int[teams];
            for (var t = 0; t < teams; t++)
            {
                roles.Add(new UserRoleRecord(roles.Count, $"Sales Manager {t + 1}", 0));
                managerOfTeam[t] = AddUser(null, null, "Sales Manager", roles.Count - 1, vp, created);
                roles.Add(new UserRoleRecord(roles.Count, $"Sales Rep Team {t + 1}", roles.Count - 1));
            }

            for (var r = 0; r < repCount; r++)
            {
                var team = r % teams;
                var rep = AddUser(null, null, "Account Executive", 2 + (team * 2), managerOfTeam[team], created);
                backgroundReps.Add(rep);
                var rng = Rng.For(options.Seed, -5_000_000 - rep);
                quotas[rep] = 150_000 + (rng.Next(31) * 10_000);
            }
        }

        private int AddUser(string? first, string? last, string title, int role, int manager, long created, bool apiOnly = false)
        {
            var index = users.Count;
            var rng = Rng.For(options.Seed, -9_000_000 - index);
            first ??= NamePools.FirstNames[rng.Next(NamePools.FirstNames.Length)];
            last ??= NamePools.LastNames[rng.Next(NamePools.LastNames.Length)];
            var username = apiOnly
                ? $"integration@{options.UserDomain}"
                : $"{first}.{last}.{index}@{options.UserDomain}".ToLowerInvariant();
            users.Add(new UserRecord
            {
                Index = index,
                FirstName = first,
                LastName = last,
                Username = username,
                Email = username,
                Title = title,
                TimeZoneSidKey = NamePools.TimeZones[rng.Next(NamePools.TimeZones.Length)],
                RoleIndex = role,
                ManagerIndex = manager,
                CreatedMs = created,
                IsApiOnly = apiOnly,
            });
            return index;
        }

        private int AddAccount(int owner, Rng rng)
        {
            var created = asOfMs - ((long)rng.Next(400, 900) * 86_400_000L) + (rng.Next(36_000) * 1000L);
            var index = accounts.Add(new AccountRow
            {
                OwnerIndex = owner,
                Industry = (byte)rng.Next(NamePools.Industries.Length),
                CreatedMs = created,
                ModstampMs = created + (rng.Next(200) * 86_400_000L),
            });
            for (var j = 0; j < ContactsPerAccount; j++)
            {
                contacts.Add(new ContactRow
                {
                    AccountIndex = index,
                    FirstName = (short)rng.Next(NamePools.FirstNames.Length),
                    LastName = (short)rng.Next(NamePools.LastNames.Length),
                    Title = (byte)((j + rng.Next(2)) % NamePools.ContactTitles.Length),
                    CreatedMs = created + (j * 3_600_000L),
                });
            }

            return index;
        }

        private void AddBackgroundOpportunity(int i)
        {
            var rng = Rng.For(options.Seed, i);
            var repSlot = rng.Next(backgroundReps.Count);
            var ageDays = rng.Next(1, 541);
            var createdMs = DayMs(asOfDay - ageDays) + (rng.Next(8 * 3600, 18 * 3600) * 1000L);
            var closed = ageDays > 120 ? rng.Chance(0.85) : ageDays > 45 && rng.Chance(0.25);
            var amount = Math.Round(Math.Exp(Math.Log(5_000) + (rng.NextDouble() * Math.Log(80))) / 100) * 100;
            if (closed)
            {
                AddClosedBackgroundOpportunity(i, ref rng, repSlot, createdMs, amount);
                return;
            }

            var reached = Math.Min(rng.Weighted(OpenStageWeights), Math.Max(0, ageDays / 7));
            var endMs = asOfMs - (rng.Next(1, Math.Max(2, Math.Min(ageDays, 60))) * 86_400_000L);
            endMs = Math.Max(endMs, createdMs + 3_600_000L);

            events.Clear();
            roleBuffer.Clear();
            taskBuffer.Clear();
            var steps = reached;
            for (var k = 1; k <= steps; k++)
            {
                // Reps often skip stages of the ladder; the last step (current stage) always shows.
                if (k < steps && rng.Chance(0.4))
                {
                    continue;
                }

                var at = createdMs + (long)((endMs - createdMs) * (k / (double)steps) * (k == steps ? 1 : 0.85 + (rng.NextDouble() * 0.15)));
                events.Add(new DealEvent(at, EventKind.Stage, k, 0));
            }

            var pushes = rng.Weighted(PushWeights);
            var finalClose = asOfDay + rng.Next(-10, 150);
            var pushTotal = 0;
            var pushSizes = (stackalloc int[3]);
            for (var p = 0; p < pushes; p++)
            {
                pushSizes[p] = rng.Next(10, 60);
                pushTotal += pushSizes[p];
            }

            var initialClose = finalClose - pushTotal;
            if (initialClose <= DayOf(createdMs) + 7)
            {
                pushes = 0;
                initialClose = finalClose;
            }

            var close = initialClose;
            for (var p = 0; p < pushes; p++)
            {
                close += pushSizes[p];
                var at = createdMs + (long)((endMs - createdMs) * rng.NextDouble());
                events.Add(new DealEvent(at, EventKind.Push, close, 0));
            }

            var initialAmount = AmountChange(ref rng, amount, createdMs, endMs);
            events.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));

            var owner = backgroundReps[repSlot];
            var account = (repSlot * accountsPerRep) + rng.Next(accountsPerRep);
            var roleCount = rng.Weighted(RoleCountWeights);
            var startContact = rng.Next(ContactsPerAccount);
            for (var r = 0; r < roleCount; r++)
            {
                roleBuffer.Add(new RoleSpec(
                    (account * ContactsPerAccount) + ((startContact + r) % ContactsPerAccount),
                    (byte)rng.Next(NamePools.ContactRoles.Length),
                    r == 0,
                    createdMs + (rng.Next(1, 20) * 86_400_000L)));
            }

            AddTasks(ref rng, account, createdMs, endMs);
            if (rng.Chance(0.25))
            {
                var day = asOfDay + rng.Next(1, 11);
                taskBuffer.Add(new TaskSpec(day, false, account * ContactsPerAccount, 0, asOfMs - 3_600_000L));
            }

            var draft = new Draft
            {
                Owner = owner,
                Account = account,
                CreatedMs = createdMs,
                Amount = initialAmount,
                InitialCloseDay = initialClose,
                Product = (byte)rng.Next(NamePools.Products.Length),
                Type = (byte)rng.Next(NamePools.OpportunityTypes.Length),
                LeadSource = (byte)rng.Next(NamePools.LeadSources.Length),
                NextStepText = rng.Chance(0.75) ? (byte)rng.Next(NamePools.NextSteps.Length) : OpportunityRow.NoNextStep,
                NextStepDay = asOfDay + rng.Next(1, 22),
                CompellingDay = rng.Chance(0.4) ? finalClose - rng.Next(15) : 0,
                ExecutiveSponsor = rng.Chance(0.35) ? (account * ContactsPerAccount) + rng.Next(ContactsPerAccount) : -1,
                Discount = rng.Chance(0.5) ? rng.Next(16) : float.NaN,
                Qualification = QualificationMask(ref rng, 0.2 + (0.1 * reached)),
                ModstampMs = Math.Min(asOfMs - 1000, endMs + (rng.Next(1, 600) * 60_000L)),
            };
            Emit(ref draft);
        }

        /// <summary>One in ten deals changed its amount once, at a random moment while open.</summary>
        private double AmountChange(ref Rng rng, double amount, long createdMs, long endMs)
        {
            if (!rng.Chance(0.1))
            {
                return amount;
            }

            var initialAmount = Math.Round(amount * (rng.Chance(0.5) ? 0.8 : 1.25) / 100) * 100;
            events.Add(new DealEvent(createdMs + (long)((endMs - createdMs) * rng.NextDouble()), EventKind.Amount, 0, amount));
            return initialAmount;
        }

        private void AddTasks(ref Rng rng, int account, long createdMs, long endMs)
        {
            var lastDay = Math.Min(asOfDay - 1, DayOf(endMs));
            var taskCount = rng.Next(7);
            for (var t = 0; t < taskCount; t++)
            {
                var day = rng.Next(DayOf(createdMs), Math.Max(DayOf(createdMs) + 1, lastDay + 1));
                var isClosed = day < asOfDay && !rng.Chance(0.05);
                taskBuffer.Add(new TaskSpec(day, isClosed, (account * ContactsPerAccount) + rng.Next(ContactsPerAccount),
                    (byte)rng.Next(NamePools.TaskSubjects.Length), Math.Min(DayMs(day), createdMs + 60_000)));
            }
        }

        /// <summary>Later stages are better qualified: each text field is set with probability <paramref name="p"/>.</summary>
        private static byte QualificationMask(ref Rng rng, double p)
        {
            var mask = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                mask |= rng.Chance(p) ? 1 << bit : 0;
            }

            return (byte)mask;
        }

        private static int DayOf(long ms) => DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)(ms / 86_400_000L);

        /// <summary>Appends the opportunity, its history (from <see cref="events"/>), roles and tasks.</summary>
        private int Emit(ref Draft d)
        {
            var index = opportunities.Count;
            var stage = (byte)0;
            var close = d.InitialCloseDay;
            var amount = d.Amount;
            var lastStageChange = d.CreatedMs;
            var modstamp = d.CreatedMs;
            history.Add(new HistoryRow
            {
                Opportunity = index,
                CreatedBy = d.Owner,
                Stage = stage,
                CloseDay = close,
                Amount = amount,
                PrevAmount = double.NaN,
                CreatedMs = d.CreatedMs,
            });
            foreach (var e in events)
            {
                var prevClose = close;
                var prevAmount = amount;
                switch (e.Kind)
                {
                    case EventKind.Stage:
                        stage = (byte)e.Value;
                        lastStageChange = e.AtMs;
                        if (StageLadder.All[stage].IsClosed)
                        {
                            close = DayOf(e.AtMs);
                        }

                        break;
                    case EventKind.Push:
                        close = e.Value;
                        break;
                    default:
                        amount = e.Amount;
                        break;
                }

                history.Add(new HistoryRow
                {
                    Opportunity = index,
                    CreatedBy = d.Owner,
                    Stage = stage,
                    CloseDay = close,
                    Amount = amount,
                    PrevAmount = prevAmount,
                    PrevCloseDay = prevClose,
                    CreatedMs = e.AtMs,
                });
                modstamp = Math.Max(modstamp, e.AtMs);
            }

            foreach (var r in roleBuffer)
            {
                contactRoles.Add(new ContactRoleRow
                {
                    Opportunity = index,
                    Contact = r.Contact,
                    Role = r.Role,
                    IsPrimary = r.IsPrimary,
                    CreatedBy = d.Owner,
                    CreatedMs = Math.Min(r.CreatedMs, asOfMs - 60_000),
                });
            }

            var lastActivity = 0;
            var hasOpen = false;
            var hasOverdue = false;
            foreach (var t in taskBuffer)
            {
                tasks.Add(new TaskRow
                {
                    Opportunity = index,
                    Contact = t.Contact,
                    Owner = d.Owner,
                    ActivityDay = t.Day,
                    Subject = t.Subject,
                    Type = (byte)(t.Subject % NamePools.TaskTypes.Length),
                    IsClosed = t.Closed,
                    CreatedMs = Math.Min(t.CreatedMs, asOfMs - 60_000),
                });
                if (t.Closed)
                {
                    lastActivity = Math.Max(lastActivity, t.Day);
                }
                else
                {
                    hasOpen = true;
                    hasOverdue |= t.Day < asOfDay;
                }
            }

            opportunities.Add(new OpportunityRow
            {
                AccountIndex = d.Account,
                OwnerIndex = d.Owner,
                ExecutiveSponsorContact = d.ExecutiveSponsor,
                Stage = stage,
                Type = d.Type,
                LeadSource = d.LeadSource,
                Product = d.Product,
                // Salesforce keeps NextStep on close: a closed deal shows the last next step it had while open.
                NextStepText = d.NextStepText,
                HasOpenActivity = hasOpen,
                HasOverdueTask = hasOverdue,
                Amount = amount,
                DiscountPercent = d.Discount,
                Qualification = d.Qualification,
                CloseDay = close,
                NextStepDay = d.NextStepDay,
                LastActivityDay = lastActivity,
                CompellingEventDay = d.CompellingDay,
                CreatedMs = d.CreatedMs,
                ModstampMs = Math.Max(modstamp, d.ModstampMs),
                LastStageChangeMs = lastStageChange,
            });
            return index;
        }
    }
}
