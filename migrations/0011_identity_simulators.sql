-- Partner simulators used by identity (API.md "Simulation"), and the certificate trust anchor.

-- What the simulated telecom answers about a mobile number (POST /api/v1/sim/telecom/subscribers).
create table telecom_subscribers (
  phone text primary key check (phone ~ '^09[0-9]{8}$'),
  carrier text not null check (carrier in ('CHT', 'FET', 'TWM', 'TSTAR', 'APTG', 'MVNO', 'OTHER')),
  plan text not null check (plan in ('monthly', 'prepaid', 'parent_child', 'corporate')),
  owner_id text not null,
  status text not null check (status in ('active', 'suspended', 'arrears')),
  mobile_data boolean not null,
  updated_at timestamptz not null
);

-- The Citizen Digital Certificate CA (自然人憑證) that certificate logins trust. The simulator
-- creates it on first use and keeps its key here so certificates stay valid across restarts;
-- a deployment against the real CA stores only the CA certificate (private key null).
create table moica_ca (
  id int primary key check (id = 1),
  certificate_pem text not null,
  private_key_pem text,
  created_at timestamptz not null
);
