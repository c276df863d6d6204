using System.Net;
using PipelineCoach.Notifications.Channels.Webhooks;

namespace PipelineCoach.Notifications.Tests.Channels.Webhooks;

public sealed class When_registering_an_outbound_url
{
    [TestCase("https://hooks.example.com/in/abc")]
    [TestCase("http://hooks.example.com:8080/path?q=1")]
    [TestCase("https://93.184.215.14/")]
    [TestCase("https://[2606:4700::1111]/hook")]
    [TestCase("https://1password.example/")]
    [TestCase("https://172.32.0.1/")]
    [TestCase("https://100.128.0.1/")]
    public void Should_accept_public_http_targets(string url) =>
        Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: false), Is.Null);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("hooks.example.com/in")]
    [TestCase("/relative")]
    [TestCase("ftp://hooks.example.com/")]
    [TestCase("file:///etc/passwd")]
    [TestCase("gopher://hooks.example.com/")]
    [TestCase("javascript:alert(1)")]
    public void Should_refuse_anything_but_absolute_http(string? url) =>
        Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: true), Does.Contain("URL"));

    [TestCase("https://user:pass@hooks.example.com/")]
    [TestCase("https://user@hooks.example.com/")]
    [TestCase("https://hooks.example.com@169.254.169.254/")]
    public void Should_refuse_credentials(string url) =>
        Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: true), Does.Contain("credentials"));

    [TestCase("http://169.254.169.254/latest/meta-data/")]
    [TestCase("http://169.254.0.1/")]
    [TestCase("http://[fd00:ec2::254]/")]
    [TestCase("http://[::ffff:169.254.169.254]/")]
    [TestCase("http://[::ffff:a9fe:a9fe]/")]
    [TestCase("http://[64:ff9b::a9fe:a9fe]/")]
    [TestCase("http://[fe80::1]/")]
    [TestCase("http://2852039166/")] // 169.254.169.254 as one decimal number
    [TestCase("http://0xa9fea9fe/")]
    [TestCase("http://0251.0376.0251.0376/")] // octal
    [TestCase("http://169.254.43518/")] // short form
    [TestCase("http://224.0.0.1/")]
    [TestCase("http://255.255.255.255/")]
    public void Should_always_refuse_link_local_metadata_and_reserved_addresses(string url) =>
        Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: true), Does.Contain("refused"));

    [TestCase("http://127.0.0.1:8080/")]
    [TestCase("http://127.1/")]
    [TestCase("http://2130706433/")] // 127.0.0.1 in decimal
    [TestCase("http://0x7f000001/")]
    [TestCase("http://0177.0.0.1/")]
    [TestCase("http://017700000001/")]
    [TestCase("http://10.1.2.3/")]
    [TestCase("http://172.16.0.1/")]
    [TestCase("http://172.31.255.255/")]
    [TestCase("http://192.168.1.1/")]
    [TestCase("http://100.64.0.1/")]
    [TestCase("http://100.127.255.255/")]
    [TestCase("http://0.0.0.0/")]
    [TestCase("http://0/")]
    [TestCase("http://[::1]/")]
    [TestCase("http://[0:0:0:0:0:0:0:1]/")]
    [TestCase("http://[::]/")]
    [TestCase("http://[fc00::1]/")]
    [TestCase("http://[fd12:3456::1]/")]
    [TestCase("http://[::ffff:127.0.0.1]/")]
    [TestCase("http://[::ffff:10.0.0.1]/")]
    [TestCase("http://[::127.0.0.1]/")]
    [TestCase("http://localhost:5000/")]
    [TestCase("http://LOCALHOST./")]
    [TestCase("http://api.localhost/")]
    public void Should_refuse_loopback_and_private_targets_unless_allowed(string url)
    {
        Assert.Multiple(() =>
        {
            Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: false), Does.Contain("refused"));
            Assert.That(OutboundUrlPolicy.Validate(url, allowPrivateTargets: true), Is.Null);
        });
    }

    [TestCase("127.0.0.1", false)]
    [TestCase("::ffff:192.168.0.1", false)]
    [TestCase("169.254.169.254", false)]
    [TestCase("fd00:ec2::254", false)]
    [TestCase("8.8.8.8", true)]
    [TestCase("2001:4860:4860::8888", true)]
    [TestCase("::ffff:8.8.8.8", true)]
    public void Should_judge_resolved_addresses(string address, bool allowed) =>
        Assert.That(OutboundAddressPolicy.Check(IPAddress.Parse(address), allowPrivateTargets: false), allowed ? Is.Null : Is.Not.Null);
}
