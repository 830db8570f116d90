"""Spiders: one per site family, all the same `ProfileSpider` reading its profile."""
