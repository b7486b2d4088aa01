-- The inventory database of the db-overload lab: a small shop's stock and orders, and the
-- role of the partner's weekly financial report (served through the stats API).

create table warehouses (
  id   int primary key,
  name text not null
);

create table products (
  id       int primary key,
  sku      text not null unique,
  name     text not null,
  category text not null,
  price    numeric(10, 2) not null
);

create table stock (
  warehouse_id int not null references warehouses,
  product_id   int not null references products,
  quantity     int not null,
  primary key (warehouse_id, product_id)
);

create table orders (
  id           int primary key,
  warehouse_id int not null references warehouses,
  customer     text not null,
  created_at   timestamptz not null
);

create table order_lines (
  order_id   int not null references orders,
  product_id int not null references products,
  quantity   int not null,
  unit_price numeric(10, 2) not null
);

-- Daily exchange rates, so that partners get their report in their own currency.
create table fx_rates (
  currency text not null,
  day      date not null,
  rate     numeric(12, 6) not null,
  primary key (currency, day)
);

insert into warehouses
select i, 'warehouse-' || i from generate_series(1, 5) as i;

insert into products
select i, 'SKU-' || lpad(i::text, 5, '0'), 'product ' || i,
       (array['garden', 'kitchen', 'tools', 'toys', 'books', 'sports'])[1 + i % 6],
       round((5 + (i * 37) % 200)::numeric + 0.99, 2)
from generate_series(1, 2000) as i;

insert into stock
select w, p, (w * 7 + p * 13) % 250
from generate_series(1, 5) as w, generate_series(1, 2000) as p;

insert into orders
select i, 1 + i % 5, 'customer-' || (i % 3000),
       now() - interval '28 days' * ((i * 7919) % 20000) / 20000.0
from generate_series(1, 20000) as i;

insert into order_lines
select o, 1 + (o * 31 + l * 17) % 2000, 1 + (o + l) % 4, 0
from generate_series(1, 20000) as o, generate_series(1, 3) as l;

update order_lines set unit_price = p.price from products p where p.id = order_lines.product_id;

insert into fx_rates
select c, d::date, round((0.8 + (extract(doy from d) % 40) / 100.0)::numeric, 6)
from unnest(array['EUR', 'GBP', 'CHF']) as c,
     generate_series(current_date - 1999, current_date, interval '1 day') as d;

create index on orders (created_at);
create index on order_lines (order_id);
analyze;

-- The partner's reporting role: it only reads.
create role report_api login;
grant select on all tables in schema public to report_api;
