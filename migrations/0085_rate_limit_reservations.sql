-- A try is reserved before it is evaluated (docs/SECURITY.md "Limits on failed tries"): one call
-- locks the try's buckets, counts what each window already holds (failures and tries still being
-- evaluated), and either refuses or inserts one row per bucket, all before the caller looks at the
-- guess. A try that turns out right deletes its rows again by id; a failed one leaves them counted.
-- So however many tries arrive at once, a limit of N lets at most N be evaluated per window.
alter table rate_limit_hits add column id bigint generated always as identity;
create index rate_limit_hits_id on rate_limit_hits (id);

-- p_buckets are distinct. Returns the ids of the reserved rows in the order of p_buckets, or, when a limit is reached,
-- no ids and how long (ms) until the earliest of the reached limits lets a try in again.
create function reserve_tries(p_buckets text[], p_max int[], p_window_ms int8[], p_now timestamptz)
returns table (hit_ids int8[], retry_after_ms int8)
language plpgsql volatile as $$
declare
  i int;
  n int;
  oldest timestamptz;
  wait_ms int8 := 0;
  ids int8[];
begin
  -- One lock per bucket, taken in one order (sorted), held to the end of this call's
  -- transaction: a concurrent reservation of the same bucket waits, then counts our row.
  perform pg_advisory_xact_lock(727274031, hashtext(b))
    from (select distinct unnest(p_buckets) as b) s order by b;
  -- Each statement below reads a fresh snapshot (READ COMMITTED, volatile function), taken
  -- after the locks: every reservation committed before ours is visible.
  for i in 1 .. coalesce(array_length(p_buckets, 1), 0) loop
    select count(*), min(r.at) into n, oldest
    from (select h.at from rate_limit_hits h
          where h.bucket = p_buckets[i]
            and h.at > p_now - p_window_ms[i] * interval '1 millisecond' and h.at <= p_now
          order by h.at desc limit p_max[i]) r;
    if n >= p_max[i] then
      wait_ms := greatest(wait_ms, 1, ceil(extract(epoch from
        (oldest + p_window_ms[i] * interval '1 millisecond' - p_now)) * 1000)::int8);
    end if;
  end loop;
  if wait_ms > 0 then
    return query select null::int8[], wait_ms;
    return;
  end if;
  with inserted as (
    insert into rate_limit_hits (bucket, at)
    select b, p_now from unnest(p_buckets) as u (b)
    returning id, bucket
  )
  select array_agg(i.id order by u.ord) into ids
  from unnest(p_buckets) with ordinality as u (b, ord) join inserted i on i.bucket = u.b;
  return query select ids, 0::int8;
end $$;
