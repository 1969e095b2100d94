-- Exports 2,000 feed cursors at random depths (the service's codec: base64url of big-endian µs since the epoch
-- + the id's 16 bytes), for the wrk scripts. Run: bench/feed/db.sh psql -tA -f bench/feed/cursors.sql > bench/results/feed/cursors.txt
SELECT rtrim(translate(encode(int8send((extract(epoch FROM created_at) * 1000000)::bigint) || uuid_send(id), 'base64'), '+/', '-_'), '=')
FROM videos
WHERE id IN (SELECT ('00000000-0000-4000-8000-' || lpad(to_hex((random() * 899999)::int + 1), 12, '0'))::uuid
             FROM generate_series(1, 2000));
