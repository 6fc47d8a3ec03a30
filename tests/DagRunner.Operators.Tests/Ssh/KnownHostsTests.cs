using System.Security.Cryptography;
using System.Text;
using DagRunner.Operators.Ssh;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>known_hosts as OpenSSH writes it: plain and hashed names, ports, key types read from the key itself.</summary>
public sealed class KnownHostsTests : IDisposable
{
    private readonly TempFolder _folder = new("known-hosts");

    public void Dispose() => _folder.Dispose();

    // A key's wire form: its type as a length-prefixed string, then (here) random bytes.
    private static byte[] Key(string type)
    {
        var name = Encoding.ASCII.GetBytes(type);
        var key = new byte[4 + name.Length + 32];
        key[3] = (byte)name.Length;
        name.CopyTo(key, 4);
        RandomNumberGenerator.Fill(key.AsSpan(4 + name.Length));
        return key;
    }

    private string File(string text) => _folder.Write("known_hosts", text);

    [Fact]
    public void RsaKey_MatchesItsSshRsaLine_WhateverAlgorithmWasNegotiated()
    {
        var key = Key("ssh-rsa");
        var file = File($"# comment\n[Master.Example.com]:2222 ssh-rsa {Convert.ToBase64String(key)} root@master\n");

        Assert.Equal(KnownHosts.Verdict.Known, KnownHosts.Check(file, "master.example.com", 2222, key));
        Assert.Equal("ssh-rsa", KnownHosts.KeyType(key));
    }

    [Fact]
    public void HashedName_Matches()
    {
        var key = Key("ssh-ed25519");
        var salt = RandomNumberGenerator.GetBytes(20);
#pragma warning disable CA5350 // the format's own hash
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("10.0.0.5"));
#pragma warning restore CA5350
        var file = File($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {Convert.ToBase64String(key)}\n");

        Assert.Equal(KnownHosts.Verdict.Known, KnownHosts.Check(file, "10.0.0.5", 22, key));
        Assert.Equal(KnownHosts.Verdict.Unknown, KnownHosts.Check(file, "10.0.0.6", 22, key));
    }

    [Fact]
    public void HostKnownByAnotherKey_IsChanged_EvenOfAnotherType()
    {
        var file = File($"master ssh-ed25519 {Convert.ToBase64String(Key("ssh-ed25519"))}\n");

        Assert.Equal(KnownHosts.Verdict.Changed, KnownHosts.Check(file, "master", 22, Key("ssh-ed25519")));
        Assert.Equal(KnownHosts.Verdict.Changed, KnownHosts.Check(file, "master", 22, Key("ssh-rsa")));
        Assert.Equal(KnownHosts.Verdict.Unknown, KnownHosts.Check(file, "master", 2222, Key("ssh-rsa")));
    }
}
