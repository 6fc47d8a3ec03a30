using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Emr;

/// <summary>Checks that a request is signed the way an AWS SDK signs it (SigV4 for
/// <c>elasticmapreduce</c>). Only the form is checked: with no secret to sign with, the signature's
/// value cannot be, but a client that forgot to sign, or signed for another service, is refused as
/// EMR refuses it.</summary>
internal static partial class SigV4Header
{
    /// <summary>Null when the request is signed in due form, else the error to answer.</summary>
    public static EmrException? Check(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
            return new EmrException("MissingAuthenticationTokenException", "Missing Authentication Token", StatusCodes.Status403Forbidden);
        var match = AuthorizationForm().Match(authorization);
        if (!match.Success)
        {
            return Incomplete($"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' of a AWS4-HMAC-SHA256 " +
                $"signature for elasticmapreduce (scope <key>/<yyyymmdd>/<region>/elasticmapreduce/aws4_request). Authorization={authorization}");
        }

        var signed = match.Groups["headers"].Value.Split(';');
        if (!signed.Contains("host", StringComparer.Ordinal))
            return Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _))
            return Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header (yyyyMMddTHHmmssZ).");
        if (!amzDate.StartsWith(match.Groups["date"].Value, StringComparison.Ordinal))
            return Incomplete($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{match.Groups["date"].Value}' != '{amzDate[..8]}'");
        // A header that was signed but not sent would make AWS's own check fail: a client whose signed and sent
        // headers differ is refused here too, not only in the cloud.
        if (signed.FirstOrDefault(name => name != "host" && !request.Headers.ContainsKey(name)) is { } missing)
            return new EmrException("InvalidSignatureException", $"The request signature we calculated does not match the signature you provided: signed header '{missing}' is not in the request.", StatusCodes.Status403Forbidden);
        return null;
    }

    private static EmrException Incomplete(string message) => new("IncompleteSignatureException", message);

    [GeneratedRegex(
        @"^AWS4-HMAC-SHA256 Credential=[^/\s,]+/(?<date>\d{8})/[a-z0-9-]+/elasticmapreduce/aws4_request,\s*SignedHeaders=(?<headers>[a-z0-9-]+(;[a-z0-9-]+)*),\s*Signature=[0-9a-f]{64}$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AuthorizationForm();
}
