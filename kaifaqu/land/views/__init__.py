"""Pages of 标准地 and 亩均效益: ``mujun`` (schemes, a year's grades, an enterprise's history) and
``parcels`` (地块, promises and checks, 低效闲置用地 and its disposal)."""
