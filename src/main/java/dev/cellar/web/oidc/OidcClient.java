package dev.cellar.web.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.cellar.config.ConfigKey;
import dev.cellar.config.OidcConfig;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cellar's side of an OpenID Connect login (authorization code flow with PKCE, state and nonce):
 * finds the provider's endpoints from its issuer URL, sends the browser there, exchanges the code
 * it brings back for an ID token, validates that token (signature against the provider's JWKS,
 * issuer, audience, expiry, nonce) and reads the identity from it. Holds no per-login state: the
 * caller keeps each {@link PendingOidcLogin}.
 */
public final class OidcClient {
    /** Only signatures made with the provider's private key; an HMAC token could be forged with the client secret. */
    private static final Set<JWSAlgorithm.Family> ASYMMETRIC = Set.of(JWSAlgorithm.Family.RSA, JWSAlgorithm.Family.EC,
            JWSAlgorithm.Family.ED);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Provider and server clocks disagree a little; a minute is what nimbus and most clients allow. */
    private static final int CLOCK_SKEW_SECONDS = 60;

    private final OidcConfig config;
    private final ClientID clientId;
    private final Secret secret;
    private final OidcClaims claims;
    private final Clock clock;
    private volatile Provider provider;

    /**
     * @param secret the client secret, or null for a public client; the array is cleared
     */
    public OidcClient(OidcConfig config, char[] secret, Clock clock) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("OIDC is not configured: " + ConfigKey.WEB_OIDC_ISSUER.dotted() + " is not set");
        }
        this.config = config;
        this.clientId = new ClientID(config.clientId());
        this.secret = secret == null ? null : new Secret(new String(secret));
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
        this.claims = new OidcClaims(config);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The provider's endpoints and keys, read from its discovery document once and kept. */
    private record Provider(Endpoints endpoints, IDTokenValidator validator, ClientAuthenticationMethod authMethod) {
    }

    /** The few parts of the discovery document a login uses. */
    private record Endpoints(URI authorizationEndpoint, URI tokenEndpoint) {
    }

    /**
     * Starts a login: where to send the browser, and what to keep until it comes back.
     *
     * @throws OidcLoginRefused when the provider cannot be reached or its discovery document is unusable
     */
    public OidcAuthorization begin() throws OidcLoginRefused {
        Provider p = provider();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI redirect = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"), clientId,
                config.redirectUri())
                .endpointURI(p.endpoints().authorizationEndpoint())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return new OidcAuthorization(redirect, new PendingOidcLogin(state.getValue(), nonce.getValue(), verifier.getValue(), clock.instant()));
    }

    /**
     * Finishes a login: exchanges {@code code} for tokens, validates the ID token against
     * {@code pending}'s nonce and reads the identity.
     *
     * @throws OidcLoginRefused when the exchange fails, the ID token does not validate, or no group maps to a role
     */
    public OidcIdentity finish(PendingOidcLogin pending, String code) throws OidcLoginRefused {
        Provider p = provider();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), config.redirectUri(),
                new CodeVerifier(pending.codeVerifier()));
        TokenRequest request = secret == null
                ? new TokenRequest(p.endpoints().tokenEndpoint(), clientId, grant)
                : new TokenRequest(p.endpoints().tokenEndpoint(), clientAuthentication(p.authMethod()), grant);
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout((int) TIMEOUT.toMillis());
            http.setReadTimeout((int) TIMEOUT.toMillis());
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw new OidcLoginRefused("the provider's token endpoint " + p.endpoints().tokenEndpoint() + " did not answer usefully: "
                    + e.getMessage(), "try again; if it persists, check that this server reaches the provider");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new OidcLoginRefused("the provider refused the login code: " + describe(error),
                    "start the login again; if it persists, check " + ConfigKey.WEB_OIDC_CLIENT_ID.dotted() + ", the client secret and "
                            + ConfigKey.WEB_OIDC_REDIRECT_URI.dotted() + " against the client registered at the provider");
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        return identity(idToken, pending.nonce());
    }

    /** Validates an ID token and reads the identity from it; package-private so a test can hand it a token of its own. */
    OidcIdentity identity(JWT idToken, String expectedNonce) throws OidcLoginRefused {
        Provider p = provider();
        Map<String, Object> validated;
        try {
            validated = p.validator().validate(idToken, new Nonce(expectedNonce)).toJWTClaimsSet().getClaims();
        } catch (BadJOSEException | JOSEException | ParseException e) {
            throw new OidcLoginRefused("the provider's ID token was refused: " + e.getMessage(),
                    "start the login again; if it persists, check that " + ConfigKey.WEB_OIDC_ISSUER.dotted() + " and "
                            + ConfigKey.WEB_OIDC_CLIENT_ID.dotted() + " match the provider, and this host's clock");
        }
        return claims.identity(validated, config.issuer().toString());
    }

    private ClientAuthentication clientAuthentication(ClientAuthenticationMethod method) {
        return ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)
                ? new ClientSecretPost(clientId, secret)
                : new ClientSecretBasic(clientId, secret);
    }

    private Provider provider() throws OidcLoginRefused {
        Provider known = provider;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (provider == null) {
                provider = discover();
            }
            return provider;
        }
    }

    private Provider discover() throws OidcLoginRefused {
        Issuer issuer = new Issuer(config.issuer());
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(issuer, (int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis());
        } catch (GeneralException | IOException e) {
            throw new OidcLoginRefused("cannot read the OIDC provider's discovery document at " + config.issuer()
                    + "/.well-known/openid-configuration: " + e.getMessage(),
                    "check " + ConfigKey.WEB_OIDC_ISSUER.dotted() + " (it must equal the provider's issuer exactly) and that this server reaches it");
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        List<JWSAlgorithm> offered = metadata.getIDTokenJWSAlgs();
        (offered == null ? List.of(JWSAlgorithm.RS256) : offered).stream()
                .filter(alg -> ASYMMETRIC.stream().anyMatch(family -> family.contains(alg)))
                .forEach(algorithms::add);
        if (algorithms.isEmpty()) {
            throw new OidcLoginRefused("the OIDC provider signs ID tokens only with " + offered + ", none of them with a private key",
                    "configure the provider to sign ID tokens with RS256 or ES256");
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException | NullPointerException e) {
            throw new OidcLoginRefused("the OIDC provider's discovery document has no usable jwks_uri: " + metadata.getJWKSetURI(),
                    "check " + ConfigKey.WEB_OIDC_ISSUER.dotted());
        }
        IDTokenValidator validator = new IDTokenValidator(issuer, clientId, new JWSVerificationKeySelector<>(algorithms, keys), null);
        validator.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        ClientAuthenticationMethod method = methods == null || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
                : methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST) ? ClientAuthenticationMethod.CLIENT_SECRET_POST
                : ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        return new Provider(new Endpoints(metadata.getAuthorizationEndpointURI(), metadata.getTokenEndpointURI()),
                validator, method);
    }

    private static String describe(ErrorObject error) {
        return error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
    }
}
