namespace IgLive.Service.Features.LocalAuth.Store;

internal static class LocalAuthSql
{
    private const string UserColumns = "id, email, user_metadata::text AS user_metadata, created_at, updated_at, last_sign_in_at";

    // Inserts a user and returns it; local_users_email_key (lower(email)) refuses a taken e-mail.
    public const string InsertUser = $"""
        INSERT INTO local_users (id, email, password_hash, user_metadata, created_at, updated_at, last_sign_in_at)
        VALUES (@Id, @Email, @PasswordHash, @UserMetadata::jsonb, @Now, @Now, @Now)
        RETURNING {UserColumns}
        """;

    // The user with this e-mail, any case, with the password hash; local_users_email_key.
    public const string UserByEmail = $"SELECT {UserColumns}, password_hash FROM local_users WHERE lower(email) = lower(@Email)";

    // The user by id; local_users_pkey.
    public const string UserById = $"SELECT {UserColumns} FROM local_users WHERE id = @Id";

    // The user's password hash; local_users_pkey.
    public const string PasswordHash = "SELECT password_hash FROM local_users WHERE id = @Id";

    // Replaces a hash made with an older iteration count; local_users_pkey.
    public const string UpdatePasswordHash = "UPDATE local_users SET password_hash = @PasswordHash WHERE id = @Id";

    // New password and/or user_metadata merged key by key (a null value removes the key, as GoTrue); local_users_pkey.
    public const string UpdateUser = $"""
        UPDATE local_users SET
            password_hash = COALESCE(@PasswordHash, password_hash),
            user_metadata = CASE WHEN @Data::jsonb IS NULL THEN user_metadata
                                 ELSE (user_metadata || @Data::jsonb)
                                      - ARRAY(SELECT key FROM jsonb_each(@Data::jsonb) WHERE value = 'null'::jsonb) END,
            updated_at = @Now
        WHERE id = @Id
        RETURNING {UserColumns}
        """;

    // New session + its first refresh token + last sign-in, in one statement (FK checks run at its end); primary keys.
    public const string StartSession = """
        WITH s AS (INSERT INTO local_sessions (id, user_id, created_at) VALUES (@SessionId, @UserId, @Now)),
             t AS (INSERT INTO local_refresh_tokens (session_id, token_hash, created_at) VALUES (@SessionId, @TokenHash, @Now))
        UPDATE local_users SET last_sign_in_at = @Now WHERE id = @UserId
        """;

    // The token (locked), its session and whether a child of it was used already; local_refresh_tokens_hash_key,
    // then primary keys and local_refresh_tokens_parent_idx.
    public const string RefreshTokenForUpdate = """
        SELECT t.id, t.session_id, t.used_at, s.user_id, s.revoked_at, s.revoked_reason, s.created_at AS session_created_at,
               EXISTS (SELECT 1 FROM local_refresh_tokens c WHERE c.parent_id = t.id AND c.used_at IS NOT NULL) AS child_used
        FROM local_refresh_tokens t
        JOIN local_sessions s ON s.id = t.session_id
        WHERE t.token_hash = @TokenHash
        FOR UPDATE OF t
        """;

    // Uses the token up and inserts its child, in one statement; primary keys.
    public const string Rotate = """
        WITH used AS (UPDATE local_refresh_tokens SET used_at = @Now WHERE id = @Id),
             s AS (UPDATE local_sessions SET refreshed_at = @Now WHERE id = @SessionId)
        INSERT INTO local_refresh_tokens (session_id, token_hash, parent_id, created_at) VALUES (@SessionId, @TokenHash, @Id, @Now)
        """;

    // A token of this session by hash, and whether it was used (the reuse allowance's walk); local_refresh_tokens_hash_key.
    public const string TokenInSession =
        "SELECT used_at FROM local_refresh_tokens WHERE token_hash = @TokenHash AND session_id = @SessionId";

    // Revokes a session (all its refresh tokens stop working: refresh checks revoked_at); local_sessions_pkey.
    public const string RevokeSession = """
        UPDATE local_sessions SET revoked_at = @Now, revoked_reason = @Reason WHERE id = @Id AND revoked_at IS NULL
        """;

    // Same, only when the session belongs to the caller; local_sessions_pkey.
    public const string RevokeOwnSession = """
        UPDATE local_sessions SET revoked_at = @Now, revoked_reason = @Reason WHERE id = @Id AND user_id = @UserId AND revoked_at IS NULL
        """;

    // Revokes all the user's live sessions but @ExceptId (none when null); local_sessions_user_idx.
    public const string RevokeUserSessions = """
        UPDATE local_sessions SET revoked_at = @Now, revoked_reason = @Reason
        WHERE user_id = @UserId AND revoked_at IS NULL AND (@ExceptId::uuid IS NULL OR id <> @ExceptId::uuid)
        """;

    // Whether the session exists, is the user's and is not revoked; local_sessions_pkey.
    public const string SessionActive = """
        SELECT EXISTS (SELECT 1 FROM local_sessions WHERE id = @Id AND user_id = @UserId AND revoked_at IS NULL)
        """;
}
