namespace DagRunner.Clients.Connections;

/// <summary>How a connection authenticates.</summary>
public enum ConnectionAuth
{
    /// <summary>No credentials (Livy without auth, a laptop's LocalLivy).</summary>
    None,

    /// <summary>HTTP Basic with the URI's user and password (LDAP-backed Livy, Knox, HDInsight).</summary>
    Basic,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c> from the <c>token</c> extra.</summary>
    Bearer,

    /// <summary>Kerberos/SPNEGO through the platform's Negotiate handler (a ticket from <c>kinit</c>).</summary>
    Negotiate,
}
