-- The partner's weekly financial report, as the stats API runs it: revenue per week,
-- category and currency. The join on fx_rates forgets the day, so every order line is
-- multiplied by every daily rate of the last years: a query that burns one CPU for minutes.
select date_trunc('week', o.created_at) as week,
       p.category,
       r.currency,
       sum(l.quantity * l.unit_price * r.rate) as revenue
from orders o
join order_lines l on l.order_id = o.id
join products p on p.id = l.product_id
join fx_rates r on r.currency = 'EUR'
where o.created_at > now() - interval '28 days'
group by 1, 2, 3
order by 1, 2, 3;
