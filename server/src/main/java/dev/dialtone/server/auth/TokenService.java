package dev.dialtone.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.dialtone.core.Clock;
import dev.dialtone.protocol.Limits;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.List;

/**
 * Signs and verifies client tokens: HS256 JWTs whose {@code sub} is the user id and which must
 * carry {@code exp}. Thread-safe.
 */
public final class TokenService {
    /** Tolerated clock difference between the token issuer and this server. */
    private static final long CLOCK_SKEW_MS = 30_000;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;

    public TokenService(byte[] secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token secret rejected: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /** A token for {@code user} valid for {@code ttl}, for any room. */
    public String sign(String user, Duration ttl) {
        return sign(user, ttl, null);
    }

    /** A token for {@code user} valid for {@code ttl}; {@code rooms} (names, or prefixes ending in {@code *}) limits the rooms. */
    public String sign(String user, Duration ttl, List<String> rooms) {
        long now = clock.nowMillis();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + ttl.toMillis()));
        if (rooms != null) {
            builder.claim("rooms", rooms);
        }
        JWTClaimsSet claims = builder.build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }

    /** Who a token lets in, and to which rooms. */
    public record Principal(String user, RoomAccess rooms) {
    }

    /**
     * The user a token was issued to, and its room access.
     *
     * @throws InvalidTokenException saying why, in words fit for the client
     */
    public Principal verify(String token) throws InvalidTokenException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("token is not a JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("token must be signed with HS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("token signature is invalid");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("token signature cannot be verified");
        }
        long now = clock.nowMillis();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw new InvalidTokenException("token has no exp");
        }
        if (expires.getTime() + CLOCK_SKEW_MS < now) {
            throw new InvalidTokenException("token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.getTime() - CLOCK_SKEW_MS > now) {
            throw new InvalidTokenException("token is not valid yet");
        }
        String user = claims.getSubject();
        if (user == null || user.isEmpty() || user.length() > Limits.MAX_USER_LENGTH) {
            throw new InvalidTokenException("token has no valid sub");
        }
        Object rooms = claims.getClaim("rooms");
        if (rooms == null) {
            return new Principal(user, RoomAccess.ANY);
        }
        if (!(rooms instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidTokenException("the rooms claim must be a list of room names or prefixes");
        }
        return new Principal(user, new RoomAccess(list.stream().map(String.class::cast).toList()));
    }

    /** A token that does not let its bearer in. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
